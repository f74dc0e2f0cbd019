import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule } from '#libs/logframe';
import { SdgModule } from '#libs/sdg';
import { IatiExportRepository } from './export/iati-export.repository.js';
import { IatiExportService } from './export/iati-export.service.js';
import { IatiImportRepository } from './iati-import.repository.js';
import { IatiImportService } from './iati-import.service.js';

@Module({
  imports: [SdgModule, LogframeModule, AuthModule],
  providers: [IatiImportService, IatiImportRepository, IatiExportRepository, IatiExportService],
  exports: [IatiImportService, IatiExportService],
})
export class IatiModule {}
