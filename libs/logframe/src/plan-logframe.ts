import { randomUUID } from 'node:crypto';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import type {
  ActivityEntity,
  AssumptionEntity,
  IndicatorEntity,
  IndicatorLevel,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  SdgLinkEntity,
} from '#libs/database';
import { normaliseSdgCode, sdgCodeKind } from '#libs/sdg';
import { checkDates, checkIndicatorValues } from './indicator-values.js';
import type { ProjectDates } from './logframe-rules.js';
import type {
  ActivityDoc,
  AssumptionDoc,
  IndicatorDoc,
  LogframeDocument,
  OutputDoc,
  SdgLinkDoc,
} from './logframe-document.js';

/**
 * What planning a logframe replace needs to know besides the document: the working copy's current
 * rows (for stable ids and locked fields), each indicator series' actual count and retirement, and
 * which referenced SDG targets, SDG indicators and standard indicators exist. Loaded by
 * `LogframeService` in the replace's transaction (see {@link referencedCodes}).
 */
export interface LogframePlanContext {
  revisionId: string;
  project: ProjectDates & { id: string };
  current: {
    outcomes: Pick<OutcomeEntity, 'stableId' | 'code'>[];
    outputs: Pick<OutputEntity, 'stableId' | 'code'>[];
    activities: Pick<ActivityEntity, 'stableId' | 'code'>[];
    indicators: Pick<
      IndicatorEntity,
      'stableId' | 'code' | 'measure' | 'unit' | 'aggregation' | 'direction' | 'definition' | 'iatiMeasure' | 'flags'
    >[];
    assumptions: Pick<AssumptionEntity, 'stableId'>[];
  };
  /** Per indicator series id: its actual count and whether it is retired. */
  series: Map<string, { actualCount: number; retired: boolean }>;
  /** SDG target codes of the official framework among those the document references. */
  knownSdgTargets: Set<string>;
  /** SDG indicator codes of the official framework among those the document references. */
  knownSdgIndicators: Set<string>;
  /** Standard indicators the document references, by id (code and measure). */
  standardIndicators: Map<string, { code: string; measure: string }>;
}

/** The rows a replace writes, with new row ids (stable ids kept); `newSeries` are series ids to create. */
export interface LogframePlan {
  outcomeRows: Partial<OutcomeEntity>[];
  outputRows: Partial<OutputEntity>[];
  activityRows: Partial<ActivityEntity>[];
  indicatorRows: Partial<IndicatorEntity>[];
  targetRows: Partial<PeriodTargetEntity>[];
  assumptionRows: Partial<AssumptionEntity>[];
  linkRows: Partial<SdgLinkEntity>[];
  newSeries: string[];
  projectId: string;
}

/** The normalised codes and ids a document references, to load the plan context with one query each. */
export function referencedCodes(doc: LogframeDocument): {
  sdgTargetCodes: string[];
  sdgIndicatorCodes: string[];
  standardIndicatorIds: string[];
} {
  const links: SdgLinkDoc[] = [...doc.sdgLinks];
  const indicators: IndicatorDoc[] = [...doc.impactIndicators];
  const addOutput = (o: OutputDoc) => {
    links.push(...o.sdgLinks);
    indicators.push(...o.indicators);
  };
  for (const outcome of doc.outcomes) {
    links.push(...outcome.sdgLinks);
    indicators.push(...outcome.indicators);
    outcome.outputs.forEach(addOutput);
  }
  doc.unlinkedOutputs.forEach(addOutput);
  const unique = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
  return {
    sdgTargetCodes: unique(links.map((l) => normaliseSdgCode(l.sdgTargetCode))),
    sdgIndicatorCodes: unique(
      indicators.map((i) => (i.sdgIndicatorCode ? normaliseSdgCode(i.sdgIndicatorCode) : null)),
    ),
    standardIndicatorIds: unique(indicators.map((i) => i.standardIndicatorId)),
  };
}

/**
 * Validates a logframe document against the rules (DESIGN.md §2–3) and the plan context, and plans
 * the rows to write. Pure apart from new random ids: no Nest, no TypeORM.
 * @throws DomainException DUPLICATE (409) naming each code used twice within its kind of element;
 *   LOGFRAME_INVALID (422) listing every problem as `{ path, message }` (paths such as
 *   `outcomes[0].outputs[1].indicators[0].baseline.value`), with params `{ count }`.
 */
export function planLogframe(doc: LogframeDocument, context: LogframePlanContext): LogframePlan {
  const planner = new LogframePlanner(context);
  planner.walk(doc);
  planner.checkSdgTargets();
  planner.planIndicators();
  planner.checkRemovals();
  return planner.result();
}

/** `outcomes[0]` + `sdgLinks[1]` → `outcomes[0].sdgLinks[1]`; the document root has no prefix. */
const at = (path: string, child: string) => (path ? `${path}.${child}` : child);

interface IndicatorPlacement {
  path: string;
  doc: IndicatorDoc;
  level: IndicatorLevel;
  outcomeRowId: string | null;
  outputRowId: string | null;
}

/** One plan under construction: the rows so far, the errors so far, the ids and codes claimed. */
class LogframePlanner {
  private readonly errors: FieldError[] = [];
  private readonly duplicates: FieldError[] = [];
  private readonly usedIds = new Map<string, string>();
  private readonly codes = new Map<string, string>();
  private readonly sdgTargetPaths = new Map<string, string[]>();
  private readonly placements: IndicatorPlacement[] = [];
  private readonly plan: LogframePlan;

  constructor(private readonly context: LogframePlanContext) {
    this.plan = {
      outcomeRows: [],
      outputRows: [],
      activityRows: [],
      indicatorRows: [],
      targetRows: [],
      assumptionRows: [],
      linkRows: [],
      newSeries: [],
      projectId: context.project.id,
    };
  }

  /** Stable ids: by id when given (must exist in this logframe), else by code, else new. */
  private resolveId(
    path: string,
    id: string | undefined,
    code: string | undefined,
    rows: { stableId: string; code?: string }[],
  ) {
    let stableId: string | undefined;
    if (id) {
      if (!rows.some((r) => r.stableId === id))
        this.errors.push({
          path: `${path}.id`,
          code: 'not_found',
          params: { entity: 'element' },
          message: `no such element in this logframe: omit the id to add a new one`,
        });
      stableId = id;
    } else if (code !== undefined) stableId = rows.find((r) => r.code === code)?.stableId;
    stableId ??= randomUUID();
    const previous = this.usedIds.get(stableId);
    if (previous)
      this.errors.push({
        path: `${path}.id`,
        code: 'duplicate',
        params: { first: previous },
        message: `is the same element as ${previous}`,
      });
    this.usedIds.set(stableId, path);
    return stableId;
  }

  /** Codes unique within the project, per kind of element. */
  private claimCode(kind: string, code: string, path: string) {
    const key = `${kind}:${code}`;
    const first = this.codes.get(key);
    if (first)
      this.duplicates.push({
        path: 'code',
        code: 'duplicate',
        params: { code, first: `${first}.code`, second: `${path}.code` },
        message: `Code '${code}' is used twice (${first}.code and ${path}.code)`,
      });
    else this.codes.set(key, path);
  }

  walk(doc: LogframeDocument): void {
    const { revisionId } = this.context;
    this.addLinks('', doc.sdgLinks, null, null);
    this.addAssumptions('', doc.assumptions, null, null);
    this.addIndicators('impactIndicators', doc.impactIndicators, 'impact', null, null);
    doc.outcomes.forEach((o, i) => {
      const path = `outcomes[${i}]`;
      this.claimCode('outcome', o.code, path);
      const rowId = randomUUID();
      this.plan.outcomeRows.push({
        id: rowId,
        revisionId,
        stableId: this.resolveId(path, o.id, o.code, this.context.current.outcomes),
        code: o.code,
        statement: o.statement,
        position: i + 1,
      });
      this.addLinks(path, o.sdgLinks, rowId, null);
      this.addAssumptions(path, o.assumptions, rowId, null);
      this.addIndicators(`${path}.indicators`, o.indicators, 'outcome', rowId, null);
      o.outputs.forEach((out, j) => this.addOutput(`${path}.outputs[${j}]`, out, rowId, j + 1));
    });
    doc.unlinkedOutputs.forEach((out, j) => this.addOutput(`unlinkedOutputs[${j}]`, out, null, j + 1));
  }

  private addLinks(path: string, links: SdgLinkDoc[], outcomeId: string | null, outputId: string | null) {
    const seen = new Set<string>();
    links.forEach((l, i) => {
      const code = normaliseSdgCode(l.sdgTargetCode);
      const p = `${at(path, `sdgLinks[${i}]`)}.sdgTargetCode`;
      if (sdgCodeKind(code) !== 'target') {
        this.errors.push({
          path: p,
          code: 'matches',
          params: { pattern: 'SDG target code (like 16.4 or 5.a)' },
          message: `'${l.sdgTargetCode}' is not an SDG target code (like 16.4 or 5.a)`,
        });
        return;
      }
      if (seen.has(code))
        this.errors.push({
          path: p,
          code: 'duplicate',
          params: { sdgTargetCode: code },
          message: `SDG target ${code} is linked twice to this element`,
        });
      seen.add(code);
      this.sdgTargetPaths.set(code, [...(this.sdgTargetPaths.get(code) ?? []), p]);
      this.plan.linkRows.push({
        id: randomUUID(),
        revisionId: this.context.revisionId,
        outcomeId,
        outputId,
        sdgTargetCode: code,
        contribution: l.contribution,
        rationale: l.rationale ?? null,
        source: 'entered',
      });
    });
  }

  private addAssumptions(path: string, list: AssumptionDoc[], outcomeId: string | null, outputId: string | null) {
    list.forEach((a, i) => {
      const stableId = this.resolveId(at(path, `assumptions[${i}]`), a.id, undefined, this.context.current.assumptions);
      this.plan.assumptionRows.push({
        id: randomUUID(),
        revisionId: this.context.revisionId,
        stableId,
        outcomeId,
        outputId,
        kind: a.kind,
        statement: a.statement,
        likelihood: a.likelihood ?? null,
        impact: a.impact ?? null,
        mitigation: a.mitigation ?? null,
        position: i + 1,
      });
    });
  }

  private addIndicators(
    path: string,
    list: IndicatorDoc[],
    level: IndicatorLevel,
    outcomeRowId: string | null,
    outputRowId: string | null,
  ) {
    list.forEach((doc, i) => this.placements.push({ path: `${path}[${i}]`, doc, level, outcomeRowId, outputRowId }));
  }

  private addActivities(path: string, list: ActivityDoc[], outputRowId: string) {
    list.forEach((a, i) => {
      const p = `${path}.activities[${i}]`;
      this.claimCode('activity', a.code, p);
      checkDates(this.errors, p, a.startDate ?? null, a.endDate ?? null, this.context.project, 'startDate', 'endDate');
      this.plan.activityRows.push({
        id: randomUUID(),
        revisionId: this.context.revisionId,
        stableId: this.resolveId(p, a.id, a.code, this.context.current.activities),
        outputId: outputRowId,
        code: a.code,
        description: a.description,
        startDate: a.startDate ?? null,
        endDate: a.endDate ?? null,
        position: i + 1,
      });
    });
  }

  private addOutput(path: string, o: OutputDoc, outcomeRowId: string | null, position: number) {
    this.claimCode('output', o.code, path);
    const rowId = randomUUID();
    this.plan.outputRows.push({
      id: rowId,
      revisionId: this.context.revisionId,
      stableId: this.resolveId(path, o.id, o.code, this.context.current.outputs),
      outcomeId: outcomeRowId,
      code: o.code,
      statement: o.statement,
      position,
    });
    this.addLinks(path, o.sdgLinks, null, rowId);
    this.addAssumptions(path, o.assumptions, null, rowId);
    this.addIndicators(`${path}.indicators`, o.indicators, 'output', null, rowId);
    this.addActivities(path, o.activities, rowId);
  }

  checkSdgTargets(): void {
    for (const [code, paths] of this.sdgTargetPaths)
      if (!this.context.knownSdgTargets.has(code))
        for (const p of paths)
          this.errors.push({
            path: p,
            code: 'not_found',
            params: { entity: 'SDG target', sdgTargetCode: code },
            message: `SDG target '${code}' does not exist in the official framework`,
          });
  }

  planIndicators(): void {
    this.placements.forEach((placement, index) => this.planIndicator(placement, index));
  }

  /** An indicator that has actuals keeps its measure, unit, aggregation, direction and definition (DESIGN.md §3). */
  private checkLockedFields(
    path: string,
    d: IndicatorDoc,
    existing: LogframePlanContext['current']['indicators'][number],
  ) {
    const actualCount = this.context.series.get(existing.stableId)?.actualCount ?? 0;
    if (actualCount === 0) return;
    const locked: [keyof IndicatorDoc, unknown, unknown][] = [
      ['measure', existing.measure, d.measure],
      ['unit', existing.unit, d.unit ?? null],
      ['aggregation', existing.aggregation, d.aggregation],
      ['direction', existing.direction, d.direction],
      ['definition', existing.definition, d.definition ?? null],
    ];
    // Completing an empty field, or settling a value the importer inferred and flagged, does not redefine the series.
    const inferred = new Set((existing.flags ?? []).map((f) => f.code));
    const settles = (field: keyof IndicatorDoc, was: unknown) =>
      was === null ||
      (field === 'aggregation' && inferred.has('aggregation_inferred')) ||
      (field === 'direction' && inferred.has('direction_inferred'));
    for (const [field, was, now] of locked) {
      if (was !== now && !settles(field, was))
        this.errors.push({
          path: `${path}.${field}`,
          code: 'cannot_change',
          params: { was: String(was), actualCount },
          message: `cannot change from '${String(was)}': this indicator has ${actualCount} actual(s); retire it and add a new indicator instead`,
        });
    }
  }

  /** The SDG indicator (must exist) and standard indicator (must exist and measure alike) of an indicator. */
  private checkReferences(path: string, d: IndicatorDoc): string | null {
    let sdgIndicatorCode: string | null = null;
    if (d.sdgIndicatorCode) {
      sdgIndicatorCode = normaliseSdgCode(d.sdgIndicatorCode);
      if (!this.context.knownSdgIndicators.has(sdgIndicatorCode))
        this.errors.push({
          path: `${path}.sdgIndicatorCode`,
          code: 'not_found',
          params: { entity: 'SDG indicator', sdgIndicatorCode: d.sdgIndicatorCode },
          message: `SDG indicator '${d.sdgIndicatorCode}' does not exist in the official framework`,
        });
    }
    if (d.standardIndicatorId) {
      const standard = this.context.standardIndicators.get(d.standardIndicatorId);
      if (!standard)
        this.errors.push({
          path: `${path}.standardIndicatorId`,
          code: 'not_found',
          params: { entity: 'standard indicator' },
          message: 'no such standard indicator',
        });
      else if (standard.measure !== d.measure)
        this.errors.push({
          path: `${path}.standardIndicatorId`,
          code: 'not_applicable',
          params: { standardIndicator: standard.code, measure: standard.measure },
          message: `standard indicator ${standard.code} measures '${standard.measure}', this indicator '${d.measure}'`,
        });
    }
    return sdgIndicatorCode;
  }

  private planIndicator(placement: IndicatorPlacement, index: number): void {
    const { path, doc: d } = placement;
    this.claimCode('indicator', d.code, path);
    const stableId = this.resolveId(path, d.id, d.code, this.context.current.indicators);
    const existing = this.context.current.indicators.find((i) => i.stableId === stableId);
    if (!existing && !this.context.series.has(stableId)) this.plan.newSeries.push(stableId);
    if (existing) this.checkLockedFields(path, d, existing);
    const sdgIndicatorCode = this.checkReferences(path, d);
    const values = checkIndicatorValues(this.errors, path, d, this.context.project);
    const rowId = randomUUID();
    this.plan.indicatorRows.push({
      id: rowId,
      revisionId: this.context.revisionId,
      stableId,
      level: placement.level,
      outcomeId: placement.outcomeRowId,
      outputId: placement.outputRowId,
      code: d.code,
      title: d.title,
      definition: d.definition ?? null,
      measure: d.measure,
      iatiMeasure: existing?.iatiMeasure ?? null,
      unit: d.unit ?? null,
      direction: d.direction,
      aggregation: d.aggregation,
      ordinalScale: d.ordinalScale ?? null,
      baselineValue: values.baseline.value,
      baselineNumerator: values.baseline.numerator,
      baselineDenominator: values.baseline.denominator,
      baselineYear: d.baseline?.year ?? null,
      baselineDate: d.baseline?.date ?? null,
      baselineComment: d.baseline?.comment ?? null,
      baselineNotAvailableReason: d.baseline?.notAvailableReason ?? null,
      baselineDueDate: d.baseline?.dueDate ?? null,
      endTargetValue: values.endTarget.value,
      endTargetNumerator: values.endTarget.numerator,
      endTargetDenominator: values.endTarget.denominator,
      endTargetDescription: d.endTarget?.description ?? null,
      meansOfVerification: d.meansOfVerification ?? null,
      dataSource: d.dataSource ?? null,
      collectionFrequency: d.collectionFrequency ?? null,
      requiredDisaggregations: d.requiredDisaggregations ?? [],
      standardIndicatorId: d.standardIndicatorId ?? null,
      sdgIndicatorCode,
      flags: existing?.flags ?? [],
      position: index + 1,
    });
    values.periodTargets.forEach((t) => this.plan.targetRows.push({ id: randomUUID(), indicatorId: rowId, ...t }));
  }

  /** Removing an indicator that has actuals: only once retired. */
  checkRemovals(): void {
    const kept = new Set(this.plan.indicatorRows.map((r) => r.stableId));
    for (const removed of this.context.current.indicators.filter((i) => !kept.has(i.stableId))) {
      const info = this.context.series.get(removed.stableId);
      if (info && info.actualCount > 0 && !info.retired) {
        this.errors.push({
          path: 'indicators',
          code: 'in_use',
          params: { indicator: removed.code, actualCount: info.actualCount },
          message: `Indicator ${removed.code} has ${info.actualCount} actual(s) and cannot be removed: retire it with a reason first (POST /projects/${this.context.project.id}/indicators/${removed.stableId}/retire)`,
        });
      }
    }
  }

  result(): LogframePlan {
    if (this.duplicates.length)
      throw DomainException.conflict(
        ErrorCode.DUPLICATE,
        this.duplicates.map((d) => d.message).join('; '),
        this.duplicates,
      );
    if (this.errors.length)
      throw DomainException.unprocessable(
        ErrorCode.LOGFRAME_INVALID,
        `The logframe has ${this.errors.length} problem(s); nothing was saved`,
        this.errors,
        { count: this.errors.length },
      );
    return this.plan;
  }
}
