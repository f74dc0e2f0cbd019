import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import {
  ActualDisaggregationEntity,
  ActualEntity,
  AuditEventEntity,
  DonorEntity,
  FundingAgreementEntity,
  ImportRunEntity,
  IndicatorEntity,
  IndicatorSeriesEntity,
  type IndicatorLevel,
  LogframeRevisionEntity,
  OrgUnitEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetDisaggregationEntity,
  PeriodTargetEntity,
  ProjectEntity,
  type ReviewFlag,
  SdgLinkEntity,
} from '#libs/database';
import { SdgService } from '#libs/sdg';
import {
  IatiParseException,
  type ImportIssue,
  parseIatiActivities,
  type ParsedActivity,
  type ParsedIndicator,
  type ParsedPeriod,
} from './parser/index.js';

/** Parameters of an import: the file, its name and (optionally) the owning org unit's code. */
export interface IatiImportRequest {
  xml: string;
  sourceName: string;
  /** Owning org unit code; default: one derived from each activity's reporting-org. */
  orgUnitCode?: string;
  importedById?: string | null;
  /**
   * The org units whose projects this import may change (a manager's scope). An activity matching an
   * existing project elsewhere is skipped and reported. Undefined: no restriction (admin, CLI).
   */
  restrictToOrgUnitIds?: string[];
}

/** Counts per kind of record: created, updated (changed), unchanged. */
export interface ChangeCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * The answer to an import: what was created/updated and every value that could not be used or was
 * interpreted, with its element path and why (DESIGN.md §7). One bad value never fails the file.
 */
export interface IatiImportReport {
  importRunId: string;
  sourceName: string;
  sourceSha256: string;
  activities: number;
  projects: ChangeCounts;
  outcomes: ChangeCounts;
  outputs: ChangeCounts;
  indicators: ChangeCounts;
  periodTargets: ChangeCounts;
  actuals: ChangeCounts;
  sdgLinks: ChangeCounts;
  donors: ChangeCounts;
  /** Per project: id, code (the iati-identifier) and what happened. */
  projectResults: {
    projectId: string;
    iatiIdentifier: string;
    status: 'created' | 'updated' | 'unchanged';
    revisionNumber: number;
    logframeLocked: boolean;
  }[];
  issues: ImportIssue[];
  issueCounts: Record<string, number>;
}

const counts = (): ChangeCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** Stable JSON of a value for change detection (key order as written here). */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * IATI 2.03 results import (DESIGN.md §7): each `<iati-activity>` becomes a project with a draft
 * logframe, provenance `imported`. Idempotent on `iati-identifier`: importing the same file twice
 * changes nothing (second report: all unchanged). Result type 2 → outcome, 1 → output (unlinked,
 * flagged), 3 → impact indicators on the project. Indicators are matched by result and indicator
 * position (their code) and title. A project whose latest revision is submitted or approved keeps
 * its logframe untouched (reported as `logframe_locked`); its imported actuals are still updated.
 * The whole file is one transaction.
 */
@Injectable()
export class IatiImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sdg: SdgService,
  ) {}

  /**
   * @throws DomainException bad_request when the file is not an IATI activities XML document
   * @throws DomainException not_found when `orgUnitCode` names no org unit
   */
  async import(request: IatiImportRequest): Promise<IatiImportReport> {
    const [targetRows, indicatorRows] = await Promise.all([
      this.dataSource.query(`SELECT code FROM sdg_target`) as Promise<{ code: string }[]>,
      this.dataSource.query(`SELECT code FROM sdg_indicator`) as Promise<{ code: string }[]>,
    ]);
    if (targetRows.length === 0)
      throw DomainException.unprocessable(
        ErrorCode.SDG_FRAMEWORK_MISSING,
        'The SDG framework is not loaded: run `npm run sdg:load` first',
      );
    const targets = new Set(targetRows.map((r) => r.code));
    const sdgIndicators = new Set(indicatorRows.map((r) => r.code));
    let parsed;
    try {
      parsed = parseIatiActivities(request.xml, {
        sdgTargetExists: (c) => targets.has(c),
        sdgIndicatorExists: (c) => sdgIndicators.has(c),
      });
    } catch (error) {
      // Any parser refusal (malformed XML, external entities, not IATI) is the file's fault, not ours.
      const reason = error instanceof IatiParseException || error instanceof Error ? error.message : String(error);
      throw DomainException.badRequest(
        ErrorCode.FILE_UNREADABLE,
        `The file is not a readable IATI activities document: ${reason}`,
      );
    }
    const report: IatiImportReport = {
      importRunId: '',
      sourceName: request.sourceName,
      sourceSha256: createHash('sha256').update(request.xml).digest('hex'),
      activities: parsed.activities.length,
      projects: counts(),
      outcomes: counts(),
      outputs: counts(),
      indicators: counts(),
      periodTargets: counts(),
      actuals: counts(),
      sdgLinks: counts(),
      donors: counts(),
      projectResults: [],
      issues: [...parsed.issues],
      issueCounts: {},
    };
    await this.dataSource.transaction(async (manager) => {
      const fixedOrgUnit = request.orgUnitCode
        ? await manager.getRepository(OrgUnitEntity).findOneBy({ code: request.orgUnitCode })
        : null;
      if (request.orgUnitCode && !fixedOrgUnit) throw DomainException.notFound(`Org unit '${request.orgUnitCode}'`);
      for (const activity of parsed.activities) {
        if (!activity.iatiIdentifier.trim()) {
          report.issues.push({
            severity: 'error',
            code: 'identifier_missing',
            path: 'iati-activity',
            message: `Activity '${activity.title || '(no title)'}' has no iati-identifier: it was not imported (projects are matched by identifier)`,
          });
          continue;
        }
        const orgUnit = fixedOrgUnit ?? (await this.orgUnitFromReportingOrg(manager, activity));
        await this.importActivity(
          manager,
          activity,
          orgUnit,
          report,
          request.importedById ?? null,
          request.restrictToOrgUnitIds,
        );
      }
      for (const issue of report.issues) report.issueCounts[issue.code] = (report.issueCounts[issue.code] ?? 0) + 1;
      const run = await manager.getRepository(ImportRunEntity).save({
        sourceName: request.sourceName,
        sourceSha256: report.sourceSha256,
        format: 'iati-2.03',
        orgUnitId: fixedOrgUnit?.id ?? null,
        summary: { ...report, issues: undefined },
        issues: report.issues,
        importedById: request.importedById ?? null,
      });
      report.importRunId = run.id;
    });
    return report;
  }

  /** The org unit derived from reporting-org: code = its ref (or name), created as an HQ division if missing. */
  private async orgUnitFromReportingOrg(manager: EntityManager, activity: ParsedActivity): Promise<OrgUnitEntity> {
    const ref = (activity.reportingOrg.ref ?? activity.reportingOrg.name ?? 'IATI-UNKNOWN').trim();
    const code = ref.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 32);
    const repo = manager.getRepository(OrgUnitEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values({ code, name: activity.reportingOrg.name ?? ref, type: 'hq_division', countryCodes: [] })
      .orIgnore()
      .execute();
    return repo.findOneByOrFail({ code });
  }

  private async importActivity(
    manager: EntityManager,
    activity: ParsedActivity,
    orgUnit: OrgUnitEntity,
    report: IatiImportReport,
    actorId: string | null,
    restrictTo?: string[],
  ): Promise<void> {
    const projects = manager.getRepository(ProjectEntity);
    const fields = {
      title: activity.title.slice(0, 10000),
      description: activity.description,
      countries: activity.countries.filter((c) => /^[A-Z]{2}$/.test(c)),
      startDate: activity.startDate,
      endDate: activity.endDate,
      budgetAmount: activity.budget?.amount ?? null,
      budgetCurrency: activity.budget?.currency?.slice(0, 3) ?? null,
    };
    let project = await projects.findOneBy({ iatiIdentifier: activity.iatiIdentifier });
    if (project && restrictTo && !restrictTo.includes(project.orgUnitId)) {
      report.issues.push({
        severity: 'error',
        code: 'project_out_of_scope',
        path: `iati-activity[${activity.iatiIdentifier}]`,
        iatiIdentifier: activity.iatiIdentifier,
        message:
          'This activity cannot be imported into your office: its identifier is already used by a project you do not manage. Ask an admin.',
      });
      return;
    }
    let projectStatus: 'created' | 'updated' | 'unchanged' = 'unchanged';
    if (!project) {
      project = await projects.save(
        projects.create({
          ...fields,
          code: activity.iatiIdentifier.slice(0, 200),
          iatiIdentifier: activity.iatiIdentifier,
          orgUnitId: orgUnit.id,
          provenance: 'imported',
          createdById: actorId,
          lnobGroups: [],
        }),
      );
      projectStatus = 'created';
    } else {
      const before = {
        title: project.title,
        description: project.description,
        countries: project.countries,
        startDate: project.startDate,
        endDate: project.endDate,
        budgetAmount: project.budgetAmount,
        budgetCurrency: project.budgetCurrency,
      };
      if (!same(before, fields)) {
        Object.assign(project, fields);
        project = await projects.save(project);
        projectStatus = 'updated';
      }
    }
    report.projects[projectStatus] += 1;

    await this.importFunding(manager, activity, project, report);

    const revisions = manager.getRepository(LogframeRevisionEntity);
    let revision = await revisions.findOne({ where: { projectId: project.id }, order: { number: 'DESC' } });
    if (!revision)
      revision = await revisions.save(revisions.create({ projectId: project.id, number: 1, status: 'draft' }));
    const locked = revision.status !== 'draft' && revision.status !== 'returned';
    if (locked) {
      report.issues.push({
        severity: 'warning',
        code: 'logframe_locked',
        path: `iati-activity[${activity.iatiIdentifier}]`,
        iatiIdentifier: activity.iatiIdentifier,
        message: `Revision ${revision.number} of this project is ${revision.status}: its logframe was not changed; open a new revision to take the imported changes. Actuals were updated.`,
      });
    }
    const changed = await this.importResults(manager, activity, project, revision, locked, report);
    if (projectStatus === 'unchanged' && changed) projectStatus = 'updated';
    if (projectStatus !== 'unchanged') {
      await manager.getRepository(AuditEventEntity).insert({
        projectId: project.id,
        actorId,
        action: 'iati.import',
        entityType: 'project',
        entityId: project.id,
        after: { iatiIdentifier: activity.iatiIdentifier, status: projectStatus, revision: revision.number },
      });
    }
    report.projectResults.push({
      projectId: project.id,
      iatiIdentifier: activity.iatiIdentifier,
      status: projectStatus,
      revisionNumber: revision.number,
      logframeLocked: locked,
    });
  }

  private async importFunding(
    manager: EntityManager,
    activity: ParsedActivity,
    project: ProjectEntity,
    report: IatiImportReport,
  ): Promise<void> {
    const donors = manager.getRepository(DonorEntity);
    const seen = new Set<string>();
    for (const [index, org] of activity.fundingOrgs.entries()) {
      const ref = org.ref?.trim();
      if (!ref) {
        report.issues.push({
          severity: 'warning',
          code: 'funder_without_ref',
          path: `iati-activity[${activity.iatiIdentifier}]/participating-org[@role=1][${index + 1}]`,
          iatiIdentifier: activity.iatiIdentifier,
          message: `Funding organisation '${org.name ?? '(no name)'}' has no @ref: no donor was linked`,
        });
        continue;
      }
      if (seen.has(ref)) continue;
      seen.add(ref);
      let donor = await donors.findOneBy({ iatiOrgRef: ref });
      if (!donor) {
        donor = await donors.save(donors.create({ iatiOrgRef: ref, name: org.name ?? ref }));
        report.donors.created += 1;
      } else report.donors.unchanged += 1;
      await manager
        .getRepository(FundingAgreementEntity)
        .createQueryBuilder()
        .insert()
        .values({ projectId: project.id, donorId: donor.id })
        .orIgnore()
        .execute();
    }
  }

  /** Upserts outcomes, outputs, indicators, targets, actuals and SDG links; returns whether anything changed. */
  private async importResults(
    manager: EntityManager,
    activity: ParsedActivity,
    project: ProjectEntity,
    revision: LogframeRevisionEntity,
    locked: boolean,
    report: IatiImportReport,
  ): Promise<boolean> {
    const revisionId = revision.id;
    const outcomes = await manager.getRepository(OutcomeEntity).findBy({ revisionId });
    const outputs = await manager.getRepository(OutputEntity).findBy({ revisionId });
    const indicators = await manager.getRepository(IndicatorEntity).findBy({ revisionId });
    const periodTargets = indicators.length
      ? await manager.getRepository(PeriodTargetEntity).findBy({ indicatorId: In(indicators.map((i) => i.id)) })
      : [];
    const actuals = indicators.length
      ? await manager.getRepository(ActualEntity).findBy({ indicatorSeriesId: In(indicators.map((i) => i.stableId)) })
      : [];
    let changed = false;
    let outcomeN = 0;
    let outputN = 0;
    let impactN = 0;
    for (const result of activity.results) {
      const resultPath = `iati-activity[${activity.iatiIdentifier}]/result[${result.position}]`;
      let level: IndicatorLevel;
      let parent: { outcomeId: string | null; outputId: string | null };
      let codePrefix: string;
      if (result.type === 'outcome') {
        outcomeN += 1;
        codePrefix = `OC${outcomeN}`;
        level = 'outcome';
        const outcome = await this.upsertElement(
          manager,
          OutcomeEntity,
          outcomes,
          revisionId,
          codePrefix,
          { statement: result.title || `Outcome ${outcomeN}`, position: result.position },
          locked,
          report.outcomes,
        );
        changed ||= outcome.changed;
        parent = { outcomeId: outcome.row?.id ?? null, outputId: null };
      } else if (result.type === 'impact') {
        impactN += 1;
        codePrefix = `IM${impactN}`;
        level = 'impact';
        parent = { outcomeId: null, outputId: null };
      } else {
        outputN += 1;
        codePrefix = `OP${outputN}`;
        level = 'output';
        const output = await this.upsertElement(
          manager,
          OutputEntity,
          outputs,
          revisionId,
          codePrefix,
          { statement: result.title || `Output ${outputN}`, position: result.position, outcomeId: null },
          locked,
          report.outputs,
          ['outcomeId'],
        );
        changed ||= output.changed;
        parent = { outcomeId: null, outputId: output.row?.id ?? null };
      }
      for (const parsedIndicator of result.indicators) {
        const code = `${codePrefix}-I${parsedIndicator.position}`;
        const path = `${resultPath}/indicator[${parsedIndicator.position}]`;
        const row = await this.upsertIndicator(manager, {
          project,
          revisionId,
          code,
          level,
          parent,
          parsed: parsedIndicator,
          existing: indicators,
          locked,
          report,
          path,
        });
        if (!row) continue;
        changed ||= row.changed;
        if (!locked)
          changed =
            (await this.syncPeriodTargets(manager, row.indicator, parsedIndicator.periods, periodTargets, report)) ||
            changed;
        changed =
          (await this.syncActuals(manager, row.indicator, parsedIndicator.periods, actuals, report, path)) || changed;
      }
    }
    if (!locked) changed = (await this.syncSdgLinks(manager, activity, revisionId, report)) || changed;
    return changed;
  }

  private async upsertElement<T extends OutcomeEntity | OutputEntity>(
    manager: EntityManager,
    entity: new () => T,
    existing: T[],
    revisionId: string,
    code: string,
    values: Partial<T>,
    locked: boolean,
    tally: ChangeCounts,
    keepOnUpdate: (keyof T)[] = [],
  ): Promise<{ row: T | null; changed: boolean }> {
    const row = existing.find((e) => e.code === code) ?? null;
    if (locked) return { row, changed: false };
    const repo = manager.getRepository(entity);
    if (!row) {
      const created = await repo.save(repo.create({ ...values, revisionId, code, stableId: randomUUID() } as T));
      existing.push(created);
      tally.created += 1;
      return { row: created, changed: true };
    }
    const updateValues = { ...values };
    for (const key of keepOnUpdate) delete updateValues[key];
    const current = Object.fromEntries(Object.keys(updateValues).map((k) => [k, row[k as keyof T]]));
    if (same(current, updateValues)) {
      tally.unchanged += 1;
      return { row, changed: false };
    }
    Object.assign(row, updateValues);
    await repo.save(row);
    tally.updated += 1;
    return { row, changed: true };
  }

  private async upsertIndicator(
    manager: EntityManager,
    args: {
      project: ProjectEntity;
      revisionId: string;
      code: string;
      level: IndicatorLevel;
      parent: { outcomeId: string | null; outputId: string | null };
      parsed: ParsedIndicator;
      existing: IndicatorEntity[];
      locked: boolean;
      report: IatiImportReport;
      path: string;
    },
  ): Promise<{ indicator: IndicatorEntity; changed: boolean } | null> {
    const { parsed, existing, report } = args;
    const flags: ReviewFlag[] = [
      {
        code: 'aggregation_inferred',
        message: `Aggregation '${parsed.aggregation}' inferred from the series; confirm it`,
      },
    ];
    if (parsed.endTargetInferred)
      flags.push({
        code: 'end_target_inferred',
        message: 'IATI has no end target: the last period target was taken; confirm it',
      });
    if (parsed.directionInferred)
      flags.push({
        code: 'direction_inferred',
        message: `Direction '${parsed.direction}' inferred (IATI @ascending is not trusted); confirm it`,
      });
    if (args.level === 'output' && !args.parent.outcomeId)
      flags.push({ code: 'output_unlinked', message: 'The output is not linked to an outcome yet' });
    const values = {
      title: parsed.title || `Indicator ${parsed.position}`,
      definition: parsed.description,
      measure: parsed.measure,
      iatiMeasure: parsed.iatiMeasure,
      unit: parsed.unit,
      direction: parsed.direction,
      aggregation: parsed.aggregation,
      baselineValue: parsed.baseline?.value ?? null,
      baselineYear: parsed.baseline?.year ?? null,
      baselineDate: parsed.baseline?.isoDate ?? null,
      baselineComment: parsed.baseline?.comment ?? null,
      endTargetValue: parsed.endTarget,
      sdgIndicatorCode: parsed.sdgIndicatorCodes[0] ?? null,
      flags,
      position: parsed.position,
      level: args.level,
      outcomeId: args.parent.outcomeId,
      outputId: args.parent.outputId,
    };
    let row = existing.find((i) => i.code === args.code) ?? null;
    if (row && row.title !== values.title) {
      report.issues.push({
        severity: 'warning',
        code: 'indicator_title_changed',
        path: args.path,
        message: `Indicator ${args.code} was titled '${row.title}' and is now '${values.title}' in the file: matched by position and updated; check it is the same indicator`,
      });
    }
    if (args.locked) {
      if (row) return { indicator: row, changed: false };
      report.issues.push({
        severity: 'warning',
        code: 'indicator_skipped_locked',
        path: args.path,
        message: `New indicator '${values.title}' was not added: the logframe revision is locked`,
      });
      return null;
    }
    const repo = manager.getRepository(IndicatorEntity);
    if (!row) {
      const stableId = randomUUID();
      await manager.getRepository(IndicatorSeriesEntity).insert({ id: stableId, projectId: args.project.id });
      row = await repo.save(
        repo.create({ ...values, revisionId: args.revisionId, code: args.code, stableId, requiredDisaggregations: [] }),
      );
      existing.push(row);
      report.indicators.created += 1;
      return { indicator: row, changed: true };
    }
    const current = Object.fromEntries(Object.keys(values).map((k) => [k, row![k as keyof IndicatorEntity]]));
    if (same(current, values)) {
      report.indicators.unchanged += 1;
      return { indicator: row, changed: false };
    }
    Object.assign(row, values);
    row = await repo.save(row);
    report.indicators.updated += 1;
    return { indicator: row, changed: true };
  }

  private async syncPeriodTargets(
    manager: EntityManager,
    indicator: IndicatorEntity,
    periods: ParsedPeriod[],
    existing: PeriodTargetEntity[],
    report: IatiImportReport,
  ): Promise<boolean> {
    let changed = false;
    const repo = manager.getRepository(PeriodTargetEntity);
    for (const period of periods) {
      if (
        !period.target ||
        (period.target.value === null && !period.target.comment && period.targetDimensions.length === 0)
      )
        continue;
      const values = {
        value: period.target.value,
        description: indicator.measure === 'qualitative' ? (period.target.comment ?? period.target.raw) : null,
        comment: period.target.comment,
      };
      const row = existing.find(
        (t) =>
          t.indicatorId === indicator.id && t.periodStart === period.periodStart && t.periodEnd === period.periodEnd,
      );
      if (!row) {
        const created = await repo.save(
          repo.create({
            ...values,
            indicatorId: indicator.id,
            periodStart: period.periodStart,
            periodEnd: period.periodEnd,
            numerator: null,
            denominator: null,
          }),
        );
        existing.push(created);
        if (period.targetDimensions.length) {
          await manager.getRepository(PeriodTargetDisaggregationEntity).insert(
            period.targetDimensions.map((d) => ({
              periodTargetId: created.id,
              dimension: d.name.slice(0, 100),
              category: d.category.slice(0, 200),
              value: d.value,
              numerator: null,
              denominator: null,
            })),
          );
        }
        report.periodTargets.created += 1;
        changed = true;
      } else if (!same({ value: row.value, description: row.description, comment: row.comment }, values)) {
        Object.assign(row, values);
        await repo.save(row);
        report.periodTargets.updated += 1;
        changed = true;
      } else report.periodTargets.unchanged += 1;
    }
    return changed;
  }

  private async syncActuals(
    manager: EntityManager,
    indicator: IndicatorEntity,
    periods: ParsedPeriod[],
    existing: ActualEntity[],
    report: IatiImportReport,
    path: string,
  ): Promise<boolean> {
    let changed = false;
    const repo = manager.getRepository(ActualEntity);
    for (const period of periods) {
      const actual = period.actual;
      if (!actual) continue;
      const qualitative = indicator.measure === 'qualitative';
      if (!qualitative && actual.value === null && period.actualDimensions.length === 0) continue;
      if (qualitative && !actual.comment && !actual.raw) continue;
      const sourceNote =
        actual.raw !== null && actual.raw !== actual.value
          ? `IATI value '${actual.raw}' read as ${actual.value ?? 'no number'}${actual.currency ? ` ${actual.currency}` : ''}`
          : null;
      const values = {
        value: qualitative ? null : actual.value,
        text: qualitative ? (actual.comment ?? actual.raw) : null,
        comment: qualitative ? null : actual.comment,
        sourceNote,
      };
      const row = existing.find(
        (a) =>
          a.indicatorSeriesId === indicator.stableId &&
          a.periodStart === period.periodStart &&
          a.periodEnd === period.periodEnd,
      );
      if (!row) {
        const created = await repo.save(
          repo.create({
            ...values,
            indicatorSeriesId: indicator.stableId,
            periodStart: period.periodStart,
            periodEnd: period.periodEnd,
            provenance: 'imported',
            numerator: null,
            denominator: null,
            rating: null,
            evidenceUrl: null,
            enteredById: null,
          }),
        );
        existing.push(created);
        if (period.actualDimensions.length) {
          await manager.getRepository(ActualDisaggregationEntity).insert(
            period.actualDimensions.map((d) => ({
              actualId: created.id,
              dimension: d.name.slice(0, 100),
              category: d.category.slice(0, 200),
              value: d.value,
              numerator: null,
              denominator: null,
            })),
          );
        }
        report.actuals.created += 1;
        changed = true;
      } else if (row.provenance === 'entered') {
        report.issues.push({
          severity: 'warning',
          code: 'actual_kept_entered',
          path: `${path}/period[${period.position}]/actual`,
          message: `An actual entered by a user exists for ${period.periodStart}..${period.periodEnd}: the imported value was not applied`,
        });
        report.actuals.unchanged += 1;
      } else if (
        !same({ value: row.value, text: row.text, comment: row.comment, sourceNote: row.sourceNote }, values)
      ) {
        Object.assign(row, values);
        await repo.save(row);
        report.actuals.updated += 1;
        changed = true;
      } else report.actuals.unchanged += 1;
    }
    return changed;
  }

  private async syncSdgLinks(
    manager: EntityManager,
    activity: ParsedActivity,
    revisionId: string,
    report: IatiImportReport,
  ): Promise<boolean> {
    if (activity.sdgTargets.length === 0) return false;
    const repo = manager.getRepository(SdgLinkEntity);
    const existing = await repo.findBy({ revisionId });
    let changed = false;
    for (const target of activity.sdgTargets) {
      if (existing.some((l) => l.outcomeId === null && l.outputId === null && l.sdgTargetCode === target.code)) {
        report.sdgLinks.unchanged += 1;
        continue;
      }
      await repo.insert({
        revisionId,
        outcomeId: null,
        outputId: null,
        sdgTargetCode: target.code,
        contribution: 'secondary',
        rationale: `Imported from IATI ${target.source === 'tag' ? '<tag vocabulary="3">' : '<sector vocabulary="8">'} '${target.rawCode}'; state the contribution and its rationale`,
        source: target.source === 'tag' ? 'iati:tag' : 'iati:sector',
      });
      report.sdgLinks.created += 1;
      changed = true;
    }
    return changed;
  }
}
