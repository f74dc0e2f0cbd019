import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule } from '#libs/logframe';

/** Reference data routes: programmes, donors, funding agreements, the standard indicator library. */
@Module({ imports: [AuthModule, LogframeModule], controllers: [], providers: [] })
export class ReferenceModule {}
