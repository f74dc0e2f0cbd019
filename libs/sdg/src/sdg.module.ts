import { Module } from '@nestjs/common';
import { SdgService } from './sdg.service.js';

/** SDG reference data (load + read). */
@Module({ providers: [SdgService], exports: [SdgService] })
export class SdgModule {}
