import { Module } from '@nestjs/common';
import { SdgModule } from '#libs/sdg';
import { IatiImportService } from './iati-import.service.js';

@Module({ imports: [SdgModule], providers: [IatiImportService], exports: [IatiImportService] })
export class IatiModule {}
