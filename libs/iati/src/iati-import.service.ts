import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuthUser, AuditLogRepository, OrgUnitAdminRepository, PolicyRepository, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import {
  type ActualEntity,
  type IndicatorEntity,
  type IndicatorLevel,
  type LogframeRevisionEntity,
  type OrgUnitEntity,
  OutcomeEntity,
  OutputEntity,
  type PeriodTargetEntity,
  type ProjectEntity,
  TransactionRunner,
} from '#libs/database';
import { normaliseSdgCode, SdgService, sdgServiceOn } from '#libs/sdg';
import { type IndicatorParent, importedIndicatorValues, joinTexts } from './iati-indicator-values.js';
import { IatiImportRepository, type ImportedDimensionValue, type RevisionContent } from './iati-import.repository.js';
import {
  funderRef,
  type ImportIssue,
  type IatiParseOutput,
  parseIatiActivitiesOffThread,
  type ParsedActivity,
  type ParsedIndicator,
  type ParsedPeriod,
  reportingOrgUnit,
} from './parser/index.js';
import type { ExtensionAssumption, ExtensionSdgLink } from './parser/iati-parse.types.js';

export { joinTexts } from './iati-indicator-values.js';

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

/** An import asked for by a signed-in user (the API): the file, its name and the org unit to import into. */
export type IatiImportAsRequest = Pick<IatiImportRequest, 'xml' | 'sourceName' | 'orgUnitCode'>;

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
/** An empty report of a parsed file (counts zero, the parser's issues). */
function emptyReport(sourceName: string, parsed: IatiParseOutput): IatiImportReport {
  return {
    importRunId: '',
    sourceName,
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
}

/** The savepoint each activity runs under (one bad activity never fails the file). */
const ACTIVITY_SAVEPOINT = 'iati_activity';

/** Where a result of the file lands: its level, its outcome or output row, and its indicators' code prefix. */
interface PlacedResult {
  level: IndicatorLevel;
  parent: IndicatorParent;
  codePrefix: string;
  changed: boolean;
}

/** What the import of one activity's results works on. */
interface ResultsContext {
  manager: EntityManager;
  activity: ParsedActivity;
  project: ProjectEntity;
  revisionId: string;
  locked: boolean;
  report: IatiImportReport;
  content: RevisionContent;
}

/**
 * IATI 2.03 results import (DESIGN.md §7): each `<iati-activity>` becomes a project with a draft
 * logframe, provenance `imported`. Idempotent on `iati-identifier`: importing the same file twice
 * changes nothing (second report: all unchanged). Result type 2 → outcome, 1 → output (unlinked,
 * flagged), 3 → impact indicators on the project. Indicators are matched by result and indicator
 * position (their code) and title. A project whose latest revision is submitted or approved keeps
 * its logframe untouched (reported as `logframe_locked`); its imported actuals are still updated.
 * The whole file is one transaction; it first takes the advisory locks of the file's identifiers and of
 * the donors and org units it would create (see {@link IatiImportRepository.lockImportKeys}), so imports
 * sharing activities, or creating the same donors or org units, run one at a time.
 */
@Injectable()
export class IatiImportService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: IatiImportRepository,
    private readonly orgUnits: OrgUnitAdminRepository,
    private readonly audit: AuditLogRepository,
    private readonly sdg: SdgService,
    private readonly policy: PolicyService,
  ) {}

  /**
   * An import by a signed-in user: admins import anywhere (into `orgUnitCode`, or org units derived from
   * each activity's reporting-org); project managers name an office they manage and change only
   * projects of their offices. The access check comes first, before the file is read.
   * @throws DomainException bad_request when a manager names no org unit
   * @throws DomainException not_found when the org unit does not exist or is outside the caller's scope
   * @throws DomainException forbidden when the caller is not a manager of that org unit
   * @throws DomainException as {@link import}
   */
  async importAs(user: AuthUser, request: IatiImportAsRequest): Promise<IatiImportReport> {
    if (!user.scope.isAdmin && !request.orgUnitCode)
      throw DomainException.badRequest(
        ErrorCode.VALIDATION_FAILED,
        'Name the office to import into (orgUnitCode): project managers import into an office they manage',
        [
          {
            path: 'orgUnitCode',
            code: 'required',
            params: { role: 'project_manager' },
            message: 'is required for project managers',
          },
        ],
      );
    if (request.orgUnitCode) await this.policy.authorizeImportInto(user, request.orgUnitCode);
    return this.import({
      ...request,
      importedById: user.id,
      restrictToOrgUnitIds: user.scope.isAdmin ? undefined : user.scope.managerUnitIds,
    });
  }

  /**
   * An import with no caller's scope (the CLI, or {@link importAs} after its check).
   * @throws DomainException bad_request when the file is not an IATI activities XML document
   * @throws DomainException payload_too_large (413, limit parseSeconds or parseMemory) when the file
   *   cannot be parsed within the off-thread parse's time or heap
   * @throws DomainException not_found when `orgUnitCode` names no org unit
   */
  async import(request: IatiImportRequest): Promise<IatiImportReport> {
    const { targetCodes, indicatorCodes } = await this.sdg.allCodes();
    if (targetCodes.length === 0)
      throw DomainException.unprocessable(
        ErrorCode.SDG_FRAMEWORK_MISSING,
        'The SDG framework is not loaded: run `npm run sdg:load` first',
      );
    // Parsed (and hashed) in a worker thread: a file of thousands of activities never holds the event loop.
    const parsed = await parseIatiActivitiesOffThread({
      xml: request.xml,
      sdgTargetCodes: targetCodes,
      sdgIndicatorCodes: indicatorCodes,
    });
    const report = emptyReport(request.sourceName, parsed);
    await this.tx.run(async (manager) => {
      const fixedOrgUnit = request.orgUnitCode ? await this.orgUnits.findByCode(request.orgUnitCode, manager) : null;
      if (request.orgUnitCode && !fixedOrgUnit) throw DomainException.notFound(`Org unit '${request.orgUnitCode}'`);
      // The locks of every project the file may create or change, and of every donor and org unit it would
      // create, in one order, before any write: two imports sharing activities, or creating the same donors
      // or org units, run one after the other (never a deadlock on the project rows or on the donors and
      // org units they insert, never both creating one row), while each still works and reports in its
      // file's order, and each activity stays all-or-nothing (its new donors and org unit roll back with it).
      await this.repository.lockImportKeys(
        {
          identifiers: parsed.keys.identifiers,
          donorRefs: parsed.keys.funderRefs,
          orgUnitCodes: fixedOrgUnit ? [] : parsed.keys.reportingOrgUnitCodes,
        },
        manager,
      );
      for (const activity of parsed.activities())
        await this.importUnderSavepoint(manager, activity, fixedOrgUnit, report, request);
      for (const issue of report.issues) report.issueCounts[issue.code] = (report.issueCounts[issue.code] ?? 0) + 1;
      report.importRunId = await this.repository.insertImportRun(
        {
          sourceName: request.sourceName,
          sourceSha256: report.sourceSha256,
          format: 'iati-2.03',
          orgUnitId: fixedOrgUnit?.id ?? null,
          summary: { ...report, issues: undefined },
          issues: report.issues,
          importedById: request.importedById ?? null,
        },
        manager,
      );
    });
    return report;
  }

  /**
   * Imports one activity under a savepoint: one bad activity never fails the file; a failure rolls back
   * that activity alone (and its counts) and is reported with its path.
   */
  private async importUnderSavepoint(
    manager: EntityManager,
    activity: ParsedActivity,
    fixedOrgUnit: OrgUnitEntity | null,
    report: IatiImportReport,
    request: IatiImportRequest,
  ): Promise<void> {
    if (!activity.iatiIdentifier.trim()) {
      report.issues.push({
        severity: 'error',
        code: 'identifier_missing',
        path: 'iati-activity',
        message: `Activity '${activity.title || '(no title)'}' has no iati-identifier: it was not imported (projects are matched by identifier)`,
      });
      return;
    }
    const tally = JSON.stringify(pickCounts(report));
    const issueCount = report.issues.length;
    const resultCount = report.projectResults.length;
    await this.repository.savepoint(ACTIVITY_SAVEPOINT, manager);
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
      await this.repository.releaseSavepoint(ACTIVITY_SAVEPOINT, manager);
    } catch (error) {
      await this.repository.rollbackToSavepoint(ACTIVITY_SAVEPOINT, manager);
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

  /** The org unit derived from reporting-org: code = its ref (or name), created as an HQ division if missing. */
  private orgUnitFromReportingOrg(manager: EntityManager, activity: ParsedActivity): Promise<OrgUnitEntity> {
    const { code, name } = reportingOrgUnit(activity.reportingOrg);
    return this.orgUnits.ensure({ code, name, type: 'hq_division', parentId: null, countryCodes: [] }, manager);
  }

  private async importActivity(
    manager: EntityManager,
    activity: ParsedActivity,
    orgUnit: OrgUnitEntity,
    report: IatiImportReport,
    actorId: string | null,
    restrictTo?: string[],
  ): Promise<void> {
    const upserted = await this.upsertProject(manager, activity, orgUnit, report, actorId, restrictTo);
    if (!upserted) return;
    const { project } = upserted;
    let projectStatus = upserted.status;
    report.projects[projectStatus] += 1;

    await this.importFunding(manager, activity, project, report);

    const revision =
      (await this.repository.latestRevision(project.id, manager)) ??
      (await this.repository.createFirstRevision(project.id, manager));
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
      await this.audit.append(
        {
          projectId: project.id,
          actorId,
          action: 'iati.import',
          entityType: 'project',
          entityId: project.id,
          after: { iatiIdentifier: activity.iatiIdentifier, status: projectStatus, revision: revision.number },
        },
        manager,
      );
    }
    report.projectResults.push({
      projectId: project.id,
      iatiIdentifier: activity.iatiIdentifier,
      status: projectStatus,
      revisionNumber: revision.number,
      logframeLocked: locked,
    });
  }

  /**
   * Creates or updates the activity's project (matched by iati-identifier).
   * @returns the project and what happened to it; null when it belongs to an org unit outside `restrictTo` (reported)
   */
  private async upsertProject(
    manager: EntityManager,
    activity: ParsedActivity,
    orgUnit: OrgUnitEntity,
    report: IatiImportReport,
    actorId: string | null,
    restrictTo?: string[],
  ): Promise<{ project: ProjectEntity; status: 'created' | 'updated' | 'unchanged' } | null> {
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
    const project = await this.repository.projectByIatiIdentifier(activity.iatiIdentifier, manager);
    if (project && restrictTo && !restrictTo.includes(project.orgUnitId)) {
      report.issues.push({
        severity: 'error',
        code: 'project_out_of_scope',
        path: `iati-activity[${activity.iatiIdentifier}]`,
        iatiIdentifier: activity.iatiIdentifier,
        message:
          'This activity cannot be imported into your office: its identifier is already used by a project you do not manage. Ask an admin.',
      });
      return null;
    }
    if (!project) {
      const created = await this.repository.saveProject(
        {
          ...fields,
          code: activity.iatiIdentifier.slice(0, 200),
          iatiIdentifier: activity.iatiIdentifier,
          orgUnitId: orgUnit.id,
          provenance: 'imported',
          createdById: actorId,
          lnobGroups: [],
        },
        manager,
      );
      return { project: created, status: 'created' };
    }
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
    if (same(before, fields)) return { project, status: 'unchanged' };
    Object.assign(project, fields);
    return { project: await this.repository.saveProject(project, manager), status: 'updated' };
  }

  private async importFunding(
    manager: EntityManager,
    activity: ParsedActivity,
    project: ProjectEntity,
    report: IatiImportReport,
  ): Promise<void> {
    const seen = new Set<string>();
    for (const [index, org] of activity.fundingOrgs.entries()) {
      const ref = funderRef(org);
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
      let donor = await this.repository.donorByRef(ref, manager);
      if (!donor) {
        // Locked up front (lockImportKeys): an import creating the same donor waits for this one, or went first.
        const ensured = await this.repository.ensureDonor({ iatiOrgRef: ref, name: org.name ?? ref }, manager);
        donor = ensured.donor;
        report.donors[ensured.created ? 'created' : 'unchanged'] += 1;
      } else report.donors.unchanged += 1;
      await this.repository.linkFunder(project.id, donor.id, manager);
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
    const content = await this.repository.revisionContent(revisionId, manager);
    const context: ResultsContext = { manager, activity, project, revisionId, locked, report, content };
    const numbering = { outcome: 0, output: 0, impact: 0 };
    let changed = false;
    for (const result of activity.results) {
      const placed = await this.placeResult(context, result, numbering);
      changed ||= placed.changed;
      changed = (await this.importIndicators(context, result, placed)) || changed;
    }
    if (!locked) {
      const { outcomes, outputs } = content;
      changed = (await this.syncSdgLinks(manager, activity, revisionId, report, outcomes, outputs)) || changed;
      changed = (await this.syncAssumptions(manager, activity, revisionId, outcomes, outputs)) || changed;
    }
    return changed;
  }

  /**
   * Upserts the outcome or output a result stands for (impact results have none: their indicators sit
   * on the project) and numbers it within its kind.
   */
  private async placeResult(
    context: ResultsContext,
    result: ParsedActivity['results'][number],
    numbering: { outcome: number; output: number; impact: number },
  ): Promise<PlacedResult> {
    const { manager, revisionId, locked, report, content } = context;
    if (result.type === 'impact') {
      numbering.impact += 1;
      return {
        level: 'impact',
        parent: { outcomeId: null, outputId: null },
        codePrefix: `IM${numbering.impact}`,
        changed: false,
      };
    }
    if (result.type === 'outcome') {
      numbering.outcome += 1;
      const codePrefix = result.extension?.code ?? `OC${numbering.outcome}`;
      const outcome = await this.upsertElement(
        manager,
        OutcomeEntity,
        content.outcomes,
        revisionId,
        codePrefix,
        { statement: result.title || `Outcome ${numbering.outcome}`, position: result.position },
        locked,
        report.outcomes,
        [],
        result.extension?.id,
      );
      return {
        level: 'outcome',
        parent: { outcomeId: outcome.row?.id ?? null, outputId: null },
        codePrefix,
        changed: outcome.changed,
      };
    }
    numbering.output += 1;
    const codePrefix = result.extension?.code ?? `OP${numbering.output}`;
    // IATI does not link outputs to outcomes; our extension does (by the outcome's code).
    const outcomeCode = result.extension?.outcomeCode;
    const linkedOutcome = outcomeCode ? (content.outcomes.find((o) => o.code === outcomeCode) ?? null) : null;
    const output = await this.upsertElement(
      manager,
      OutputEntity,
      content.outputs,
      revisionId,
      codePrefix,
      {
        statement: result.title || `Output ${numbering.output}`,
        position: result.position,
        outcomeId: linkedOutcome?.id ?? null,
      },
      locked,
      report.outputs,
      linkedOutcome ? [] : ['outcomeId'],
      result.extension?.id,
    );
    return {
      level: 'output',
      parent: { outcomeId: null, outputId: output.row?.id ?? null },
      codePrefix,
      changed: output.changed,
    };
  }

  /** Upserts a result's indicators with their period targets (unless locked) and actuals; returns whether anything changed. */
  private async importIndicators(
    context: ResultsContext,
    result: ParsedActivity['results'][number],
    placed: PlacedResult,
  ): Promise<boolean> {
    const { manager, activity, project, revisionId, locked, report, content } = context;
    const resultPath = `iati-activity[${activity.iatiIdentifier}]/result[${result.position}]`;
    let changed = false;
    for (const parsedIndicator of result.indicators) {
      const code = parsedIndicator.extension?.code ?? `${placed.codePrefix}-I${parsedIndicator.position}`;
      const path = `${resultPath}/indicator[${parsedIndicator.position}]`;
      const row = await this.upsertIndicator(manager, {
        project,
        revisionId,
        code,
        level: placed.level,
        parent: placed.parent,
        parsed: parsedIndicator,
        existing: content.indicators,
        locked,
        report,
        path,
      });
      if (!row) continue;
      changed ||= row.changed;
      if (!locked)
        changed =
          (await this.syncPeriodTargets(
            manager,
            row.indicator,
            parsedIndicator.periods,
            content.periodTargets,
            report,
          )) || changed;
      changed =
        (await this.syncActuals(manager, row.indicator, parsedIndicator.periods, content.actuals, report, path)) ||
        changed;
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
    if (!row) {
      const created = await this.repository.saveElement(
        entity,
        { ...values, revisionId, code, stableId: stableId ?? randomUUID() } as Partial<T>,
        manager,
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
    await this.repository.saveElement(entity, row, manager);
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
      parent: IndicatorParent;
      parsed: ParsedIndicator;
      existing: IndicatorEntity[];
      locked: boolean;
      report: IatiImportReport;
      path: string;
    },
  ): Promise<{ indicator: IndicatorEntity; changed: boolean } | null> {
    const { parsed, existing, report } = args;
    const values = importedIndicatorValues(parsed, args.level, args.parent);
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
    if (!row) {
      // The extension's stable id, unless another series already holds it (e.g. the same file imported twice elsewhere).
      const wanted = parsed.extension?.id ?? null;
      const free = wanted !== null && !(await this.repository.seriesExists(wanted, manager));
      const stableId = free ? wanted : randomUUID();
      await this.repository.createSeries(stableId, args.project.id, manager);
      row = await this.repository.saveIndicator(
        { requiredDisaggregations: [], ...values, revisionId: args.revisionId, code: args.code, stableId },
        manager,
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
    row = await this.repository.saveIndicator(row, manager);
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
        const created = await this.repository.savePeriodTarget(
          {
            ...values,
            indicatorId: indicator.id,
            numerator: null,
            denominator: null,
            ...values,
            periodStart: period.periodStart,
            periodEnd: period.periodEnd,
          },
          manager,
        );
        existing.push(created);
        if (period.targetDimensions.length)
          await this.repository.insertTargetDisaggregations(
            created.id,
            dimensionValues(period.targetDimensions),
            manager,
          );
        report.periodTargets.created += 1;
        changed = true;
      } else if (
        !same(Object.fromEntries(Object.keys(values).map((k) => [k, row[k as keyof PeriodTargetEntity]])), values)
      ) {
        Object.assign(row, values);
        await this.repository.savePeriodTarget(row, manager);
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
        const created = await this.repository.saveActual(
          {
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
          },
          manager,
        );
        existing.push(created);
        if (period.actualDimensions.length)
          await this.repository.insertActualDisaggregations(
            created.id,
            dimensionValues(period.actualDimensions),
            manager,
          );
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
        await this.repository.saveActual(row, manager);
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
    const existing = await this.repository.sdgLinksOf(revisionId, manager);
    let changed = false;
    for (const target of activity.sdgTargets) {
      if (existing.some((l) => l.outcomeId === null && l.outputId === null && l.sdgTargetCode === target.code)) {
        report.sdgLinks.unchanged += 1;
        continue;
      }
      await this.repository.insertSdgLink(
        {
          revisionId,
          outcomeId: null,
          outputId: null,
          sdgTargetCode: target.code,
          contribution: 'secondary',
          rationale: `Imported from IATI ${target.source === 'tag' ? '<tag vocabulary="3">' : '<sector vocabulary="8">'} '${target.rawCode}'; state the contribution and its rationale`,
          source: target.source === 'tag' ? 'iati:tag' : 'iati:sector',
        },
        manager,
      );
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
    const existing = await this.repository.sdgLinksOf(revisionId, manager);
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
        await this.repository.updateSdgLink(
          row.id,
          { contribution: w.link.contribution, rationale: w.link.rationale },
          manager,
        );
        report.sdgLinks.updated += 1;
      } else {
        await this.repository.insertSdgLink(
          {
            revisionId,
            outcomeId: w.outcomeId,
            outputId: w.outputId,
            sdgTargetCode: code,
            contribution: w.link.contribution,
            rationale: w.link.rationale,
            source: 'iati:rbm',
          },
          manager,
        );
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
    const existing = await this.repository.assumptionsOf(revisionId, manager);
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
        await this.repository.insertAssumption(
          { ...values, revisionId, stableId: w.a.id ?? randomUUID(), position: position + 1 },
          manager,
        );
        changed = true;
      } else if (!same(Object.fromEntries(Object.keys(values).map((k) => [k, row[k as keyof typeof row]])), values)) {
        await this.repository.updateAssumption(row.id, values, manager);
        changed = true;
      }
    }
    return changed;
  }
}

/** A parsed period's disaggregated values as stored (dimension and category cut to their column widths). */
function dimensionValues(dimensions: ParsedPeriod['targetDimensions']): ImportedDimensionValue[] {
  return dimensions.map((d) => ({
    dimension: d.name.slice(0, 100),
    category: d.category.slice(0, 200),
    value: d.value,
  }));
}

/** An IatiImportService on a DataSource, outside Nest's container (benchmarks and scripts). */
export function iatiImportServiceOn(dataSource: DataSource): IatiImportService {
  return new IatiImportService(
    new TransactionRunner(dataSource),
    new IatiImportRepository(dataSource),
    new OrgUnitAdminRepository(dataSource),
    new AuditLogRepository(dataSource),
    sdgServiceOn(dataSource),
    new PolicyService(new PolicyRepository(dataSource)),
  );
}
