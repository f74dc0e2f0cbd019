import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ActualEntity,
  DonorEntity,
  FundingAgreementEntity,
  IndicatorEntity,
  IndicatorSeriesEntity,
  LogframeRevisionEntity,
  OrgUnitEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  ProjectEntity,
} from '#libs/database';

/** A one-indicator project built directly in the database (for tests only). */
export interface SimpleProject {
  project: ProjectEntity;
  revision: LogframeRevisionEntity;
  indicator: IndicatorEntity;
}

/** An org unit (for scope tests). */
export async function createOrgUnit(
  dataSource: DataSource,
  code: string,
  type: OrgUnitEntity['type'],
  parentId: string | null = null,
): Promise<OrgUnitEntity> {
  return dataSource
    .getRepository(OrgUnitEntity)
    .save({ code, name: `Office ${code}`, type, parentId, countryCodes: [] });
}

/** A donor organisation. */
export async function createDonor(
  dataSource: DataSource,
  name: string,
  iatiOrgRef: string | null = null,
): Promise<DonorEntity> {
  return dataSource.getRepository(DonorEntity).save({ name, iatiOrgRef });
}

/**
 * Creates an org unit, a project (2026-01-01..2027-12-31) with a draft logframe: one outcome OC1,
 * one output OP1.1 and one output indicator OP1.1.1 (`number`, `sum`, baseline 0, end target given),
 * with the period targets and actuals given (decimal strings, periods as calendar dates).
 */
export async function createSimpleProject(
  dataSource: DataSource,
  options: {
    code: string;
    endTarget: string;
    targets: { start: string; end: string; value: string }[];
    actuals: { start: string; end: string; value: string }[];
    /** The owning org unit; default: a new country office `OU-<code>`. */
    orgUnitId?: string;
    /** Donors funding the project. */
    donorIds?: string[];
  },
): Promise<SimpleProject> {
  return dataSource.transaction(async (m) => {
    const orgUnitId =
      options.orgUnitId ??
      (
        await m.getRepository(OrgUnitEntity).save({
          code: `OU-${options.code}`,
          name: `Office of ${options.code}`,
          type: 'country_office',
          countryCodes: ['KE'],
        })
      ).id;
    const project = await m.getRepository(ProjectEntity).save({
      code: options.code,
      title: `Project ${options.code}`,
      orgUnitId,
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      countries: ['KE'],
      lnobGroups: [],
    });
    const revision = await m
      .getRepository(LogframeRevisionEntity)
      .save({ projectId: project.id, number: 1, status: 'draft' });
    const outcome = await m.getRepository(OutcomeEntity).save({
      revisionId: revision.id,
      stableId: randomUUID(),
      code: 'OC1',
      statement: 'Justice institutions handle trafficking cases effectively',
      position: 1,
    });
    const output = await m.getRepository(OutputEntity).save({
      revisionId: revision.id,
      stableId: randomUUID(),
      outcomeId: outcome.id,
      code: 'OP1.1',
      statement: 'Prosecutors trained',
      position: 1,
    });
    const stableId = randomUUID();
    await m.getRepository(IndicatorSeriesEntity).insert({ id: stableId, projectId: project.id });
    const indicator = await m.getRepository(IndicatorEntity).save({
      revisionId: revision.id,
      stableId,
      level: 'output',
      outputId: output.id,
      code: 'OP1.1.1',
      title: 'Number of prosecutors trained',
      measure: 'number',
      unit: 'people',
      direction: 'increase',
      aggregation: 'sum',
      baselineValue: '0',
      baselineYear: 2025,
      endTargetValue: options.endTarget,
      meansOfVerification: 'Training attendance sheets',
      collectionFrequency: 'quarterly',
      requiredDisaggregations: [],
      flags: [],
      position: 1,
    });
    await m.getRepository(PeriodTargetEntity).insert(
      options.targets.map((t) => ({
        indicatorId: indicator.id,
        periodStart: t.start,
        periodEnd: t.end,
        value: t.value,
      })),
    );
    await m.getRepository(ActualEntity).insert(
      options.actuals.map((a) => ({
        indicatorSeriesId: stableId,
        periodStart: a.start,
        periodEnd: a.end,
        value: a.value,
        provenance: 'entered' as const,
      })),
    );
    for (const donorId of options.donorIds ?? [])
      await m.getRepository(FundingAgreementEntity).insert({ projectId: project.id, donorId });
    return { project, revision, indicator };
  });
}
