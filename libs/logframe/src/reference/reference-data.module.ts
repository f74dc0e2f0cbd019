import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { AuditEventRepository } from '../audit-event.repository.js';
import { DonorRepository } from './donor.repository.js';
import { DonorService } from './donor.service.js';
import { FundingAgreementRepository } from './funding-agreement.repository.js';
import { FundingAgreementService } from './funding-agreement.service.js';
import { ProgrammeRepository } from './programme.repository.js';
import { ProgrammeService } from './programme.service.js';
import { StandardIndicatorRepository } from './standard-indicator.repository.js';
import { StandardIndicatorService } from './standard-indicator.service.js';

/**
 * Reference data of the results chain: programmes, donors, funding agreements and the standard
 * indicator library (services with their rules, and their repositories). Scope checks use the
 * {@link AuthModule}'s PolicyService.
 */
@Module({
  imports: [AuthModule],
  providers: [
    AuditEventRepository,
    ProgrammeRepository,
    ProgrammeService,
    DonorRepository,
    DonorService,
    FundingAgreementRepository,
    FundingAgreementService,
    StandardIndicatorRepository,
    StandardIndicatorService,
  ],
  exports: [ProgrammeService, DonorService, FundingAgreementService, StandardIndicatorService],
})
export class ReferenceDataModule {}
