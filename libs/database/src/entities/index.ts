export * from './actual.entity.js';
export * from './assumption.entity.js';
export * from './audit-event.entity.js';
export * from './auth-session.entity.js';
export * from './donor.entity.js';
export * from './iati-publisher.entity.js';
export * from './indicator.entity.js';
export * from './logframe-revision.entity.js';
export * from './org-unit.entity.js';
export * from './programme.entity.js';
export * from './progress.entity.js';
export * from './project.entity.js';
export * from './rbm-settings.entity.js';
export * from './report.entity.js';
export * from './results-chain.entity.js';
export * from './sdg-link.entity.js';
export * from './sdg.entity.js';
export * from './user.entity.js';

import { ActualDisaggregationEntity, ActualEntity } from './actual.entity.js';
import { AssumptionEntity, AssumptionUpdateEntity } from './assumption.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuthSessionEntity } from './auth-session.entity.js';
import { DonorEntity } from './donor.entity.js';
import { IatiPublisherEntity } from './iati-publisher.entity.js';
import {
  IndicatorEntity,
  IndicatorSeriesEntity,
  PeriodTargetDisaggregationEntity,
  PeriodTargetEntity,
  StandardIndicatorEntity,
} from './indicator.entity.js';
import { LogframeRevisionEditorEntity, LogframeRevisionEntity } from './logframe-revision.entity.js';
import { OrgUnitEntity } from './org-unit.entity.js';
import { ProgrammeEntity } from './programme.entity.js';
import {
  OutcomeRatingEntity,
  ProgressNarrativeEntity,
  ProgressReportEntity,
  ReviewCommentEntity,
  VarianceExplanationEntity,
} from './progress.entity.js';
import { FundingAgreementEntity, ProjectEntity } from './project.entity.js';
import { RbmSettingsEntity } from './rbm-settings.entity.js';
import { ImportRunEntity, ReportEntity, ReportFileEntity } from './report.entity.js';
import { ActivityEntity, OutcomeEntity, OutputEntity } from './results-chain.entity.js';
import { SdgLinkEntity } from './sdg-link.entity.js';
import { SdgGoalEntity, SdgIndicatorEntity, SdgTargetEntity } from './sdg.entity.js';
import { RoleAssignmentEntity, UserEntity } from './user.entity.js';

/** Every entity of the schema; the DataSource and the migration check use this list. */
export const ALL_ENTITIES = [
  OrgUnitEntity,
  DonorEntity,
  UserEntity,
  RoleAssignmentEntity,
  AuthSessionEntity,
  ProgrammeEntity,
  ProjectEntity,
  FundingAgreementEntity,
  LogframeRevisionEntity,
  LogframeRevisionEditorEntity,
  OutcomeEntity,
  OutputEntity,
  ActivityEntity,
  StandardIndicatorEntity,
  IndicatorSeriesEntity,
  IndicatorEntity,
  PeriodTargetEntity,
  PeriodTargetDisaggregationEntity,
  ActualEntity,
  ActualDisaggregationEntity,
  AssumptionEntity,
  AssumptionUpdateEntity,
  SdgGoalEntity,
  SdgTargetEntity,
  SdgIndicatorEntity,
  SdgLinkEntity,
  ProgressReportEntity,
  ProgressNarrativeEntity,
  OutcomeRatingEntity,
  VarianceExplanationEntity,
  ReviewCommentEntity,
  AuditEventEntity,
  RbmSettingsEntity,
  ReportEntity,
  ReportFileEntity,
  ImportRunEntity,
  IatiPublisherEntity,
];
