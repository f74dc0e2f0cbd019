import { Module } from '@nestjs/common';
import { SdgRepository } from './sdg.repository.js';
import { SdgService } from './sdg.service.js';

/** SDG reference data (load + read). */
@Module({ providers: [SdgService, SdgRepository], exports: [SdgService] })
export class SdgModule {}
