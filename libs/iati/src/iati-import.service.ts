import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
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
  AssumptionEntity,
  COLLECTION_FREQUENCIES,
  type ReviewFlag,
  SdgLinkEntity,
} from '#libs/database';
import { normaliseSdgCode, SdgService } from '#libs/sdg';
import {
  type ImportIssue,
  parseIatiActivitiesOffThread,
  type ParsedActivity,
  type ParsedIndicator,
  type ParsedPeriod,
} from './parser/index.js';
import type { ExtensionAssumption, ExtensionSdgLink } from './parser/iati-parse.types.js';

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

const COUNT_KEYS = [
  'projects',
  'outcomes',
  'outputs',
  'indicators',
  'periodTargets',
  'actuals',
  'sdgLinks',
  'donors',
] as const;
const pickCounts = (report: IatiImportReport) => Object.fromEntries(COUNT_KEYS.map((k) => [k, report[k]]));

/** Non-blank texts joined by a blank line, each once (a qualitative value's `@value` and its comment). */
export function joinTexts(...texts: (string | null | undefined)[]): string | null {
  const parts = [...new Set(texts.map((t) => t?.trim() ?? '').filter((t) => t !== ''))];
  return parts.length ? parts.join('\n\n') : null;
}

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
   * @throws DomainException payload_too_large (413, limit parseSeconds or parseMemory) when the file
   *   cannot be parsed within the off-thread parse's time or heap
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
    // Parsed (and hashed) in a worker thread: a file of thousands of activities never holds the event loop.
    const parsed = await parseIatiActivitiesOffThread({
      xml: request.xml,
      sdgTargetCodes: targetRows.map((r) => r.code),
      sdgIndicatorCodes: indicatorRows.map((r) => r.code),
    });
    const report: IatiImportReport = {
      importRunId: '',
      sourceName: request.sourceName,
      sourceSha256: parsed.sha256,
      activities: parsed.activityCount,
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
      for (const activity of parsed.activities()) {
        if (!activity.iatiIdentifier.trim()) {
          report.issues.push({
            severity: 'error',
            code: 'identifier_missing',
            path: 'iati-activity',
            message: `Activity '${activity.title || '(no title)'}' has no iati-identifier: it was not imported (projects are matched by identifier)`,
          });
          continue;
        }
        // One bad activity never fails the file: each runs under a savepoint; a failure rolls back
        // that activity alone (and its counts) and is reported with its path.
        const tally = JSON.stringify(pickCounts(report));
        const issueCount = report.issues.length;
        const resultCount = report.projectResults.length;
        await manager.query('SAVEPOINT iati_activity');
        try {
          const orgUnit = fixedOrgUnit ?? (await this.orgUnitFromReportingOrg(manager, activity));
          await this.importActivity(
            manager,
            activity,
            orgUnit,
            report,
            request.importedById ?? null,
            request.restrictToOrgUnitIds,
          );
          await manager.query('RELEASE SAVEPOINT iati_activity');
        } catch (error) {
          await manager.query('ROLLBACK TO SAVEPOINT iati_activity');
          Object.assign(report, JSON.parse(tally));
          report.issues.length = issueCount;
          report.projectResults.length = resultCount;
          report.issues.push({
            severity: 'error',
            code: 'activity_not_imported',
            path: `iati-activity[${activity.iatiIdentifier}]`,
            iatiIdentifier: activity.iatiIdentifier,
            message: `The activity could not be stored (${error instanceof Error ? error.message : String(error)}); nothing of it was imported, the other activities were.`,
          });
        }
      }
      for (const issue of report.issues) report.issueCounts[issue.code] = (report.issueCounts[issue.code] ?? 0) + 1;
      // insert, not save: save deep-merges the (large) summary and issues into a new entity first,
      // hundreds of ms of the event loop for a file of thousands of activities.
      const inserted = await manager.getRepository(ImportRunEntity).insert({
        sourceName: request.sourceName,
        sourceSha256: report.sourceSha256,
        format: 'iati-2.03',
        orgUnitId: fixedOrgUnit?.id ?? null,
        summary: { ...report, issues: undefined },
        issues: report.issues,
        importedById: request.importedById ?? null,
      });
      report.importRunId = (inserted.identifiers[0] as { id: string }).id;
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
      // Carried by our own export (xml:lang, DAC sector, the extension's theory of change).
      ...(activity.language ? { language: activity.language } : {}),
      ...(activity.dacSectorCode ? { dacSectorCode: activity.dacSectorCode } : {}),
      ...(activity.extension?.theoryOfChange ? { theoryOfChange: activity.extension.theoryOfChange } : {}),
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
        ...(activity.language ? { language: project.language } : {}),
        ...(activity.dacSectorCode ? { dacSectorCode: project.dacSectorCode } : {}),
        ...(activity.extension?.theoryOfChange ? { theoryOfChange: project.theoryOfChange } : {}),
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
        codePrefix = result.extension?.code ?? `OC${outcomeN}`;
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
          [],
          result.extension?.id,
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
        codePrefix = result.extension?.code ?? `OP${outputN}`;
        level = 'output';
        // IATI does not link outputs to outcomes; our extension does (by the outcome's code).
        const outcomeCode = result.extension?.outcomeCode;
        const linkedOutcome = outcomeCode ? (outcomes.find((o) => o.code === outcomeCode) ?? null) : null;
        const output = await this.upsertElement(
          manager,
          OutputEntity,
          outputs,
          revisionId,
          codePrefix,
          {
            statement: result.title || `Output ${outputN}`,
            position: result.position,
            outcomeId: linkedOutcome?.id ?? null,
          },
          locked,
          report.outputs,
          linkedOutcome ? [] : ['outcomeId'],
          result.extension?.id,
        );
        changed ||= output.changed;
        parent = { outcomeId: null, outputId: output.row?.id ?? null };
      }
      for (const parsedIndicator of result.indicators) {
        const code = parsedIndicator.extension?.code ?? `${codePrefix}-I${parsedIndicator.position}`;
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
    if (!locked) {
      changed = (await this.syncSdgLinks(manager, activity, revisionId, report, outcomes, outputs)) || changed;
      changed = (await this.syncAssumptions(manager, activity, revisionId, outcomes, outputs)) || changed;
    }
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
    stableId?: string | null,
  ): Promise<{ row: T | null; changed: boolean }> {
    const row = existing.find((e) => e.code === code) ?? null;
    if (locked) return { row, changed: false };
    const repo = manager.getRepository(entity);
    if (!row) {
      const created = await repo.save(
        repo.create({ ...values, revisionId, code, stableId: stableId ?? randomUUID() } as T),
      );
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
    // Our own export carries what IATI lacks (aggregation, end target, unit...): nothing to infer then.
    const ext = parsed.extension ?? null;
    const flags: ReviewFlag[] = [];
    if (!ext?.aggregation)
      flags.push({
        code: 'aggregation_inferred',
        message: `Aggregation '${parsed.aggregation}' inferred from the series; confirm it`,
      });
    if (parsed.endTargetInferred && !ext?.endTarget)
      flags.push({
        code: 'end_target_inferred',
        message: 'IATI has no end target: the last period target was taken; confirm it',
      });
    if (parsed.directionInferred && !(ext && parsed.ascending !== null))
      flags.push({
        code: 'direction_inferred',
        message: `Direction '${parsed.direction}' inferred (IATI @ascending is not trusted); confirm it`,
      });
    if (args.level === 'output' && !args.parent.outcomeId)
      flags.push({ code: 'output_unlinked', message: 'The output is not linked to an outcome yet' });
    const qualitative = parsed.measure === 'qualitative';
    if (parsed.measure === 'percentage') {
      const figures = [
        parsed.baseline?.value,
        ...parsed.periods.flatMap((p) => [
          p.target?.value,
          p.actual?.value,
          ...p.targetDimensions.map((d) => d.value),
          ...p.actualDimensions.map((d) => d.value),
        ]),
      ].filter((v): v is string => v != null);
      const outside = figures.filter((v) => new Decimal(v).lt(0) || new Decimal(v).gt(100));
      if (outside.length)
        flags.push({
          code: 'value_out_of_range',
          message: `Percentage values outside 0–100 as published (${outside.join(', ')}); correct them`,
        });
    }
    // A qualitative indicator's baseline and targets are text (IATI: `@value` omitted, text in the comment).
    const lastTextTarget = qualitative
      ? [...parsed.periods]
          .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart))
          .map((p) => joinTexts(p.target?.raw, p.target?.comment))
          .filter((t): t is string => t !== null)
          .pop()
      : undefined;
    if (lastTextTarget && !ext?.endTarget)
      flags.push({
        code: 'end_target_inferred',
        message: 'IATI has no end target: the last period target was taken; confirm it',
      });
    const values = {
      title: parsed.title || `Indicator ${parsed.position}`,
      definition: ext ? ext.definition : parsed.description,
      measure: parsed.measure,
      iatiMeasure: parsed.iatiMeasure,
      unit: ext?.unit ?? parsed.unit,
      direction: ext && parsed.ascending !== null ? (parsed.ascending ? 'increase' : 'decrease') : parsed.direction,
      aggregation: ext?.aggregation ?? parsed.aggregation,
      ...(ext
        ? {
            meansOfVerification: ext.meansOfVerification,
            dataSource: ext.dataSource,
            collectionFrequency: COLLECTION_FREQUENCIES.find((f) => f === ext.collectionFrequency) ?? null,
            requiredDisaggregations: ext.requiredDisaggregations.map((d) => d.slice(0, 40)),
            baselineNumerator: parsed.baseline?.numerator ?? null,
            baselineDenominator: parsed.baseline?.denominator ?? null,
            endTargetNumerator: ext.endTarget?.numerator ?? null,
            endTargetDenominator: ext.endTarget?.denominator ?? null,
          }
        : {}),
      baselineValue: parsed.baseline?.value ?? null,
      baselineYear: parsed.baseline?.year ?? null,
      baselineDate: parsed.baseline?.isoDate ?? null,
      baselineComment: qualitative
        ? joinTexts(parsed.baseline?.raw, parsed.baseline?.comment)
        : (parsed.baseline?.comment ?? null),
      endTargetValue: ext?.endTarget ? ext.endTarget.value : parsed.endTarget,
      endTargetDescription: ext?.endTarget ? ext.endTarget.description : (lastTextTarget ?? null),
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
      // The extension's stable id, unless another series already holds it (e.g. the same file imported twice elsewhere).
      const wanted = ext?.id ?? null;
      const free = wanted !== null && !(await manager.getRepository(IndicatorSeriesEntity).existsBy({ id: wanted }));
      const stableId = free ? wanted : randomUUID();
      await manager.getRepository(IndicatorSeriesEntity).insert({ id: stableId, projectId: args.project.id });
      row = await repo.save(
        repo.create({ requiredDisaggregations: [], ...values, revisionId: args.revisionId, code: args.code, stableId }),
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
      if (!period.target) continue;
      const hasText =
        indicator.measure === 'qualitative' && joinTexts(period.target.raw, period.target.comment) !== null;
      if (period.target.value === null && !period.target.comment && !hasText && period.targetDimensions.length === 0)
        continue;
      const values = {
        value: period.target.value,
        description: indicator.measure === 'qualitative' ? joinTexts(period.target.raw, period.target.comment) : null,
        comment: indicator.measure === 'qualitative' ? null : period.target.comment,
        ...(period.target.numerator != null
          ? { numerator: period.target.numerator, denominator: period.target.denominator ?? null }
          : {}),
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
            numerator: null,
            denominator: null,
            ...values,
            periodStart: period.periodStart,
            periodEnd: period.periodEnd,
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
      } else if (
        !same(Object.fromEntries(Object.keys(values).map((k) => [k, row[k as keyof PeriodTargetEntity]])), values)
      ) {
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
        text: qualitative ? joinTexts(actual.raw, actual.comment) : null,
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

  /** The extension's links (project, outcome, output level, with contribution and rationale), else the tags. */
  private async syncSdgLinks(
    manager: EntityManager,
    activity: ParsedActivity,
    revisionId: string,
    report: IatiImportReport,
    outcomes: OutcomeEntity[],
    outputs: OutputEntity[],
  ): Promise<boolean> {
    if (activity.extension) return this.syncExtensionLinks(manager, activity, revisionId, report, outcomes, outputs);
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

  private elementOf(
    result: ParsedActivity['results'][number],
    outcomes: OutcomeEntity[],
    outputs: OutputEntity[],
  ): { outcomeId: string | null; outputId: string | null } | null {
    const code = result.extension?.code;
    if (!code) return null;
    if (result.type === 'outcome') {
      const o = outcomes.find((x) => x.code === code);
      return o ? { outcomeId: o.id, outputId: null } : null;
    }
    const o = outputs.find((x) => x.code === code);
    return o ? { outcomeId: null, outputId: o.id } : null;
  }

  private async syncExtensionLinks(
    manager: EntityManager,
    activity: ParsedActivity,
    revisionId: string,
    report: IatiImportReport,
    outcomes: OutcomeEntity[],
    outputs: OutputEntity[],
  ): Promise<boolean> {
    const wanted: { outcomeId: string | null; outputId: string | null; link: ExtensionSdgLink }[] = [
      ...(activity.extension?.sdgLinks ?? []).map((link) => ({ outcomeId: null, outputId: null, link })),
      ...activity.results.flatMap((r) => {
        const at = this.elementOf(r, outcomes, outputs);
        return at ? (r.extension?.sdgLinks ?? []).map((link) => ({ ...at, link })) : [];
      }),
    ];
    const repo = manager.getRepository(SdgLinkEntity);
    const existing = await repo.findBy({ revisionId });
    let changed = false;
    for (const w of wanted) {
      const code = normaliseSdgCode(w.link.target);
      if (!code) continue;
      const row = existing.find(
        (l) => l.outcomeId === w.outcomeId && l.outputId === w.outputId && l.sdgTargetCode === code,
      );
      if (row && row.contribution === w.link.contribution && row.rationale === w.link.rationale) {
        report.sdgLinks.unchanged += 1;
        continue;
      }
      if (row) {
        await repo.update({ id: row.id }, { contribution: w.link.contribution, rationale: w.link.rationale });
        report.sdgLinks.updated += 1;
      } else {
        await repo.insert({
          revisionId,
          outcomeId: w.outcomeId,
          outputId: w.outputId,
          sdgTargetCode: code,
          contribution: w.link.contribution,
          rationale: w.link.rationale,
          source: 'iati:rbm',
        });
        report.sdgLinks.created += 1;
      }
      changed = true;
    }
    return changed;
  }

  /** Assumptions and risks carried by the extension, matched by stable id (added or updated, never removed). */
  private async syncAssumptions(
    manager: EntityManager,
    activity: ParsedActivity,
    revisionId: string,
    outcomes: OutcomeEntity[],
    outputs: OutputEntity[],
  ): Promise<boolean> {
    const wanted: { outcomeId: string | null; outputId: string | null; a: ExtensionAssumption }[] = [
      ...(activity.extension?.assumptions ?? []).map((a) => ({ outcomeId: null, outputId: null, a })),
      ...activity.results.flatMap((r) => {
        const at = this.elementOf(r, outcomes, outputs);
        return at ? (r.extension?.assumptions ?? []).map((a) => ({ ...at, a })) : [];
      }),
    ];
    if (wanted.length === 0) return false;
    const repo = manager.getRepository(AssumptionEntity);
    const existing = await repo.findBy({ revisionId });
    let changed = false;
    for (const [position, w] of wanted.entries()) {
      const values = {
        outcomeId: w.outcomeId,
        outputId: w.outputId,
        kind: w.a.kind,
        statement: w.a.statement,
        likelihood: w.a.likelihood,
        impact: w.a.impact,
        mitigation: w.a.mitigation,
      };
      const row = w.a.id ? existing.find((e) => e.stableId === w.a.id) : undefined;
      if (!row) {
        await repo.insert({ ...values, revisionId, stableId: w.a.id ?? randomUUID(), position: position + 1 });
        changed = true;
      } else if (
        !same(Object.fromEntries(Object.keys(values).map((k) => [k, row[k as keyof AssumptionEntity]])), values)
      ) {
        await repo.update({ id: row.id }, values);
        changed = true;
      }
    }
    return changed;
  }
}
