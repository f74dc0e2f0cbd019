import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule, ReferenceDataModule } from '#libs/logframe';
import { DonorsController } from './donors.controller.js';
import { FundingAgreementsController } from './funding-agreements.controller.js';
import { ProgrammesController } from './programmes.controller.js';
import { StandardIndicatorsController } from './standard-indicators.controller.js';

/** Reference data routes: programmes, donors, funding agreements, the standard indicator library. */
@Module({
  imports: [AuthModule, LogframeModule, ReferenceDataModule],
  controllers: [ProgrammesController, DonorsController, FundingAgreementsController, StandardIndicatorsController],
  providers: [],
})
export class ReferenceModule {}
