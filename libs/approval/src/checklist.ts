import type { Decimal } from 'decimal.js';
import {
  AGGREGATIONS,
  byPeriodEnd,
  CalcDecimal,
  DIRECTIONS,
  isOneOf,
  MEASURES,
  QUANTITATIVE_MEASURES,
  toPlainString,
} from '#libs/calculations';
import type { IndicatorEntity, PeriodTargetEntity, ProjectEntity, SdgLinkEntity } from '#libs/database';
import {
  type IndicatorNode,
  isBeyondBaseline,
  isPeriodWithinProject,
  type LogframeTree,
  type OutcomeNode,
  type OutputNode,
} from '#libs/logframe';
import { normaliseSdgIndicatorCode, normaliseSdgTargetCode } from '#libs/sdg';

/** How a checklist rule counts: always blocking, always a warning, or blocking when the organisation says so. */
export type ChecklistRuleSeverity = 'blocking' | 'warning' | 'configurable';

/** One rule of the RBM quality-assurance checklist (DESIGN.md §3): its code, how it counts and what it asks. */
export interface ChecklistRuleDefinition {
  code: string;
  severity: ChecklistRuleSeverity;
  /** The kinds of element an item of this rule points at. */
  elementTypes: readonly ChecklistItem['elementType'][];
  /** What the rule asks, in plain words (and how it is checked where DESIGN.md is silent). */
  text: string;
}

/**
 * The rules of the QA checklist (DESIGN.md §3), in the order they are checked on an element.
 * `configurable` rules are blocking when their code is in `options.blockingChecks`, else warnings.
 */
export const CHECKLIST_RULES = [
  // ── Blocking: the results chain ──
  {
    code: 'at_least_one_outcome',
    severity: 'blocking',
    elementTypes: ['project'],
    text: 'The logframe has at least one outcome.',
  },
  {
    code: 'outcome_has_indicator',
    severity: 'blocking',
    elementTypes: ['outcome'],
    text: 'Every outcome has at least one indicator.',
  },
  {
    code: 'outcome_has_output',
    severity: 'blocking',
    elementTypes: ['outcome'],
    text: 'Every outcome has at least one output.',
  },
  {
    code: 'output_linked_to_outcome',
    severity: 'blocking',
    elementTypes: ['output'],
    text: 'Every output belongs to an outcome (a draft may hold unlinked outputs, e.g. after an import; each one fails).',
  },
  {
    code: 'output_has_indicator',
    severity: 'blocking',
    elementTypes: ['output'],
    text: 'Every output (linked or not) has at least one indicator.',
  },
  // ── Blocking: every indicator (impact, outcome and output indicators) ──
  {
    code: 'indicator_measure',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every indicator has a measure: number, percentage, ordinal or qualitative.',
  },
  {
    code: 'indicator_unit',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every quantitative indicator (number, percentage, ordinal) has a unit (not blank).',
  },
  {
    code: 'indicator_direction',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every indicator has a direction: increase or decrease.',
  },
  {
    code: 'indicator_aggregation',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every indicator has an aggregation over time: sum or latest.',
  },
  {
    code: 'indicator_means_of_verification',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every indicator has means of verification (not blank).',
  },
  {
    code: 'indicator_baseline',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text:
      'Every indicator has a baseline (quantitative: a value; qualitative: a value or a described starting situation in the baseline comment) ' +
      'or its justified absence: "not available" with both a reason and the date by which it will be set.',
  },
  {
    code: 'indicator_end_target',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Every indicator has an end target: a value (quantitative) or a described end state (qualitative).',
  },
  {
    code: 'indicator_latest_aggregation',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'Decrease and ordinal indicators use the "latest" aggregation (their values are levels, never added up); a percentage may use "sum" (a flow pooled over time from numerators and denominators).',
  },
  {
    code: 'sum_period_targets_match_end_target',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'A quantitative "sum" indicator with period targets: the period targets add up exactly (decimal sum) to the end target.',
  },
  {
    code: 'latest_period_target_matches_end_target',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: 'A quantitative "latest" indicator with period targets: the last period target (by period end) equals the end target.',
  },
  {
    code: 'end_target_beyond_baseline',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text:
      "The end target lies strictly beyond the baseline value in the indicator's direction (above it for increase, below it for decrease). " +
      'Checked when both values are given (as the logframe editor does, the baseline value is the reference for sum and latest indicators alike).',
  },
  {
    code: 'period_targets_beyond_baseline',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: "Every period target lies on the end target's side of the baseline value, or equals it. Checked when a baseline value is given.",
  },
  {
    code: 'period_targets_within_project_dates',
    severity: 'blocking',
    elementTypes: ['indicator'],
    text: "Every period target lies within the project's dates: it starts on or after the project start and ends on or before the project end (each when set).",
  },
  // ── Blocking: SDG links, theory of change, assumptions ──
  {
    code: 'project_sdg_link',
    severity: 'blocking',
    elementTypes: ['project'],
    text: 'The project links to at least one SDG target.',
  },
  {
    code: 'project_primary_sdg_link',
    severity: 'blocking',
    elementTypes: ['project'],
    text: 'At least one of the project\'s SDG links is "primary" (checked when the project has SDG links; without any, only project_sdg_link fails).',
  },
  {
    code: 'outcome_sdg_link',
    severity: 'blocking',
    elementTypes: ['outcome'],
    text: 'Every outcome links to at least one SDG target.',
  },
  {
    code: 'theory_of_change',
    severity: 'blocking',
    elementTypes: ['project'],
    text: 'The project has a theory of change (not blank).',
  },
  {
    code: 'at_least_one_assumption',
    severity: 'blocking',
    elementTypes: ['project'],
    text: 'The logframe holds at least one assumption (an assumption or a risk) on the project, an outcome or an output.',
  },
  // ── Configurable ──
  {
    code: 'sex_disaggregation',
    severity: 'configurable',
    elementTypes: ['indicator'],
    text:
      'A people-counting indicator requires the "sex" disaggregation. People-counting (a heuristic): measure "number" and a unit or title ' +
      'naming people as a whole word, case-insensitive, singular or plural (see PEOPLE_WORDS: people, persons, individuals, participants, officials, ' +
      'officers, women, men, girls, boys, children, youth, beneficiaries, staff, trainees, students, prosecutors, judges, victims, survivors, migrants, ' +
      'prisoners, users, ...). Words naming organisations or things (member states, institutions, cases) do not count. ' +
      'Blocking when "sex_disaggregation" is in the blocking checks setting, else a warning.',
  },
  // ── Warnings ──
  {
    code: 'indicator_period_targets',
    severity: 'warning',
    elementTypes: ['indicator'],
    text: 'An indicator has no period targets (milestones).',
  },
  {
    code: 'sdg_indicator_target_linked',
    severity: 'warning',
    elementTypes: ['indicator'],
    text: 'An indicator names an SDG indicator whose target (16.4.1 ⇒ 16.4, the first two parts) is not linked anywhere in the logframe (project, outcome or output).',
  },
  {
    code: 'too_many_sdg_targets',
    severity: 'warning',
    elementTypes: ['project', 'outcome', 'output'],
    text: 'An element (the project, an outcome or an output) links to more than 10 distinct SDG targets.',
  },
] as const satisfies readonly ChecklistRuleDefinition[];

/** The code of a checklist rule (one per rule of DESIGN.md §3; see `CHECKLIST_RULES`). */
export type ChecklistRule = (typeof CHECKLIST_RULES)[number]['code'];

/** The rules whose severity an organisation sets (`options.blockingChecks`). */
export const CONFIGURABLE_CHECKLIST_RULES: readonly ChecklistRule[] = CHECKLIST_RULES.filter(
  (r) => r.severity === 'configurable',
).map((r) => r.code);

/** More SDG targets than this on one element raise a warning. */
export const MAX_SDG_TARGETS_PER_ELEMENT = 10;

/** One finding of the checklist, pointing at the element to fix. */
export interface ChecklistItem {
  rule: ChecklistRule;
  severity: 'blocking' | 'warning';
  elementType: 'project' | 'outcome' | 'output' | 'indicator';
  /** The element's stable id; `null` for the project. */
  elementId: string | null;
  /** The element's code (the project's code for project items). */
  elementCode: string | null;
  /** Plain words a project manager can act on, naming the element and what to do. */
  message: string;
}

/** The checklist's outcome: `passed` when there is no blocking item. Items are in tree order. */
export interface ChecklistResult {
  passed: boolean;
  blocking: ChecklistItem[];
  warnings: ChecklistItem[];
  checkedAt?: never;
}

/** Options of `runChecklist`. */
export interface ChecklistOptions {
  /** Configurable rules to treat as blocking (e.g. `['sex_disaggregation']`); others in the list are ignored. */
  blockingChecks: string[];
}

/**
 * Words naming people, matched as whole words (case-insensitive) in a `number` indicator's unit or
 * title to recognise a people-counting indicator (rule `sex_disaggregation`). Each entry is a
 * regular-expression fragment covering singular and plural.
 */
export const PEOPLE_WORDS: readonly string[] = [
  'people',
  'persons?',
  'individuals?',
  'participants?',
  'attendees?',
  'officials?',
  'officers?',
  'women',
  'woman',
  'men',
  'girls?',
  'boys?',
  'child(?:ren)?',
  'youths?',
  'adolescents?',
  'beneficiar(?:y|ies)',
  'staff',
  'staff members?',
  'personnel',
  'trainees?',
  'trainers?',
  'students?',
  'prosecutors?',
  'judges?',
  'lawyers?',
  'investigators?',
  'victims?',
  'survivors?',
  'migrants?',
  'refugees?',
  'prisoners?',
  'detainees?',
  'inmates?',
  'offenders?',
  'defendants?',
  'users?',
  'clients?',
  'patients?',
  'respondents?',
  'workers?',
  'employees?',
  'practitioners?',
  'professionals?',
  'experts?',
  'teachers?',
  'farmers?',
  'volunteers?',
];

const PEOPLE_PATTERN = new RegExp(`\\b(?:${PEOPLE_WORDS.join('|')})\\b`, 'i');

const RULE_SEVERITY = new Map<ChecklistRule, ChecklistRuleSeverity>(CHECKLIST_RULES.map((r) => [r.code, r.severity]));

function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}

/** A stored decimal string as an exact decimal, or `null` when absent or not a number. */
function decimal(value: string | null | undefined): Decimal | null {
  if (isBlank(value)) return null;
  try {
    const d = new CalcDecimal((value as string).trim());
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

const show = (d: Decimal): string => toPlainString(d);
const period = (t: PeriodTargetEntity): string => `${t.periodStart} to ${t.periodEnd}`;

/** The normalised SDG target of a link (`1.A` → `1.a`); an unparseable code is only trimmed and lower-cased. */
function targetOf(link: SdgLinkEntity): string {
  return normaliseSdgTargetCode(link.sdgTargetCode)?.code ?? (link.sdgTargetCode ?? '').trim().toLowerCase();
}

/** The SDG target an SDG indicator implies: its first two parts (`16.4.1` ⇒ `16.4`). */
export function impliedSdgTarget(sdgIndicatorCode: string): string {
  const code = normaliseSdgIndicatorCode(sdgIndicatorCode)?.code ?? sdgIndicatorCode.trim().toLowerCase();
  return code.split('.').slice(0, 2).join('.');
}

/** Whether an indicator counts people (rule `sex_disaggregation`): measure `number` and a unit or title naming people (`PEOPLE_WORDS`). */
export function isPeopleCounting(indicator: Pick<IndicatorEntity, 'measure' | 'unit' | 'title'>): boolean {
  return (
    indicator.measure === 'number' &&
    (PEOPLE_PATTERN.test(indicator.unit ?? '') || PEOPLE_PATTERN.test(indicator.title ?? ''))
  );
}

const list = (items: string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * Runs the RBM quality-assurance checklist (DESIGN.md §3) on a logframe tree. Pure: no database,
 * no clock. Every failing element is reported (one item per element and rule), in tree order:
 * the project's own items, then impact indicators, then each outcome followed by its indicators
 * and its outputs (each output followed by its indicators), then outputs not linked to an outcome.
 * On one element, items follow the order of `CHECKLIST_RULES`.
 *
 * @param tree the logframe of one revision (`LogframeReader.loadTree`)
 * @param options.blockingChecks configurable rules to treat as blocking (`'sex_disaggregation'`); otherwise they are warnings
 * @returns `{ passed, blocking, warnings }`: `passed` is true when no item is blocking
 */
export function runChecklist(tree: LogframeTree, options: ChecklistOptions): ChecklistResult {
  const blockingChecks = new Set(options.blockingChecks);
  const items: ChecklistItem[] = [];
  const add: Add = (rule, elementType, elementId, elementCode, message) => {
    const severity = RULE_SEVERITY.get(rule);
    items.push({
      rule,
      severity:
        severity === 'warning' || (severity === 'configurable' && !blockingChecks.has(rule)) ? 'warning' : 'blocking',
      elementType,
      elementId,
      elementCode,
      message,
    });
  };

  const { project } = tree;
  const allOutputs: OutputNode[] = [...tree.outcomes.flatMap((o) => o.outputs), ...tree.unlinkedOutputs];
  const linkedTargets = new Set(
    [
      ...tree.projectSdgLinks,
      ...tree.outcomes.flatMap((o) => o.sdgLinks),
      ...allOutputs.flatMap((o) => o.sdgLinks),
    ].map(targetOf),
  );
  checkProject(tree, allOutputs, add);
  const checkIndicators = (nodes: IndicatorNode[]) =>
    nodes.forEach((node) => checkIndicator(node, project, linkedTargets, add));
  const checkOutput = (node: OutputNode, linked: boolean) => {
    checkOutputElement(node, linked, add);
    checkIndicators(node.indicators);
  };

  checkIndicators(tree.impactIndicators);
  for (const node of tree.outcomes) {
    checkOutcome(node, add);
    checkIndicators(node.indicators);
    node.outputs.forEach((output) => checkOutput(output, true));
  }
  tree.unlinkedOutputs.forEach((output) => checkOutput(output, false));

  const blocking = items.filter((i) => i.severity === 'blocking');
  return { passed: blocking.length === 0, blocking, warnings: items.filter((i) => i.severity === 'warning') };
}

type Add = (
  rule: ChecklistRule,
  elementType: ChecklistItem['elementType'],
  elementId: string | null,
  elementCode: string | null,
  message: string,
) => void;

/** Rule `too_many_sdg_targets` on one element. */
function checkTooManyTargets(
  links: SdgLinkEntity[],
  elementType: ChecklistItem['elementType'],
  id: string | null,
  code: string,
  label: string,
  add: Add,
): void {
  const targets = new Set(links.map(targetOf));
  if (targets.size > MAX_SDG_TARGETS_PER_ELEMENT) {
    add(
      'too_many_sdg_targets',
      elementType,
      id,
      code,
      `${label} ${code} is linked to ${targets.size} SDG targets: keep only the targets it contributes to directly (at most ${MAX_SDG_TARGETS_PER_ELEMENT}).`,
    );
  }
}

/** The project's own rules, in `CHECKLIST_RULES` order. */
function checkProject(tree: LogframeTree, allOutputs: OutputNode[], add: Add): void {
  const p = tree.project.code;
  const assumptionCount =
    tree.projectAssumptions.length +
    tree.outcomes.reduce((n, o) => n + o.assumptions.length, 0) +
    allOutputs.reduce((n, o) => n + o.assumptions.length, 0);
  if (tree.outcomes.length === 0)
    add(
      'at_least_one_outcome',
      'project',
      null,
      p,
      `Project ${p} has no outcome: add at least one outcome, with its indicators and outputs.`,
    );
  if (tree.projectSdgLinks.length === 0) {
    add(
      'project_sdg_link',
      'project',
      null,
      p,
      `Project ${p} is not linked to any SDG target: link it to at least one SDG target it contributes to, and mark the main one primary.`,
    );
  } else if (!tree.projectSdgLinks.some((l) => l.contribution === 'primary')) {
    const targets = [...new Set(tree.projectSdgLinks.map(targetOf))];
    add(
      'project_primary_sdg_link',
      'project',
      null,
      p,
      `None of project ${p}'s SDG targets (${targets.join(', ')}) is marked primary: mark the target the project contributes to most as primary.`,
    );
  }
  if (isBlank(tree.project.theoryOfChange)) {
    add(
      'theory_of_change',
      'project',
      null,
      p,
      `Project ${p} has no theory of change: describe how the outputs lead to the outcomes and the outcomes to the intended change.`,
    );
  }
  if (assumptionCount === 0) {
    add(
      'at_least_one_assumption',
      'project',
      null,
      p,
      `The logframe of project ${p} has no assumption: add at least one assumption or risk to the project, an outcome or an output.`,
    );
  }
  checkTooManyTargets(tree.projectSdgLinks, 'project', null, p, 'Project', add);
}

/** An outcome's own rules (its indicators and outputs are checked after them). */
function checkOutcome(node: OutcomeNode, add: Add): void {
  const { outcome } = node;
  if (node.indicators.length === 0) {
    add(
      'outcome_has_indicator',
      'outcome',
      outcome.stableId,
      outcome.code,
      `Outcome ${outcome.code} has no indicator: add at least one indicator that measures this outcome.`,
    );
  }
  if (node.outputs.length === 0) {
    add(
      'outcome_has_output',
      'outcome',
      outcome.stableId,
      outcome.code,
      `Outcome ${outcome.code} has no output: add at least one output that contributes to it, or link an existing output to it.`,
    );
  }
  if (node.sdgLinks.length === 0) {
    add(
      'outcome_sdg_link',
      'outcome',
      outcome.stableId,
      outcome.code,
      `Outcome ${outcome.code} is not linked to any SDG target: link it to at least one SDG target it contributes to.`,
    );
  }
  checkTooManyTargets(node.sdgLinks, 'outcome', outcome.stableId, outcome.code, 'Outcome', add);
}

/** An output's own rules (its indicators are checked after them); `linked`: placed under an outcome. */
function checkOutputElement(node: OutputNode, linked: boolean, add: Add): void {
  const { output } = node;
  if (!linked)
    add(
      'output_linked_to_outcome',
      'output',
      output.stableId,
      output.code,
      `Output ${output.code} is not linked to an outcome: move it under the outcome it contributes to.`,
    );
  if (node.indicators.length === 0) {
    add(
      'output_has_indicator',
      'output',
      output.stableId,
      output.code,
      `Output ${output.code} has no indicator: add at least one indicator that measures this output.`,
    );
  }
  checkTooManyTargets(node.sdgLinks, 'output', output.stableId, output.code, 'Output', add);
}

/** Reports one failed rule of the indicator being checked. */
type IndicatorFail = (rule: ChecklistRule, message: string) => void;

/** The indicator rules of DESIGN.md §3 on one indicator, in `CHECKLIST_RULES` order. */
function checkIndicator(node: IndicatorNode, project: ProjectEntity, linkedTargets: Set<string>, add: Add): void {
  const i = node.indicator;
  const fail: IndicatorFail = (rule, message) => add(rule, 'indicator', i.stableId, i.code, message);
  const targets = [...(node.periodTargets ?? [])].sort(byPeriodEnd);
  checkIndicatorFields(i, fail);
  const baseline = checkBaseline(i, fail);
  const endTarget = checkEndTarget(i, fail);
  checkLevelAggregation(i, fail);
  checkTargetsMatchEndTarget(i, endTarget, targets, fail);
  checkTargetsBeyondBaseline(i, baseline, endTarget, targets, fail);
  checkTargetsWithinProject(i, project, targets, fail);
  checkIndicatorExtras(i, targets, linkedTargets, fail);
}

/** Measure, unit, direction, aggregation, means of verification. */
function checkIndicatorFields(i: IndicatorEntity, fail: IndicatorFail): void {
  const c = i.code;
  if (!isOneOf(MEASURES, i.measure))
    fail('indicator_measure', `Indicator ${c} has no measure: choose number, percentage, ordinal or qualitative.`);
  if (isOneOf(QUANTITATIVE_MEASURES, i.measure) && isBlank(i.unit)) {
    fail(
      'indicator_unit',
      `Indicator ${c} (${i.measure}) has no unit: state the unit of measurement (e.g. "officials trained", "% of cases", "score on the 1–5 scale").`,
    );
  }
  if (!isOneOf(DIRECTIONS, i.direction))
    fail('indicator_direction', `Indicator ${c} has no direction: say whether its value should increase or decrease.`);
  if (!isOneOf(AGGREGATIONS, i.aggregation)) {
    fail(
      'indicator_aggregation',
      `Indicator ${c} has no aggregation: choose "sum" (each period reports new results) or "latest" (each period reports a level or running total).`,
    );
  }
  if (isBlank(i.meansOfVerification)) {
    fail(
      'indicator_means_of_verification',
      `Indicator ${c} has no means of verification: say where the evidence for its values will come from (document, database, survey).`,
    );
  }
}

/**
 * Baseline: a value (qualitative: or a described starting situation), or "not available" with a
 * reason and a due date. @returns the baseline value, null when none
 */
function checkBaseline(i: IndicatorEntity, fail: IndicatorFail): Decimal | null {
  const c = i.code;
  const qualitative = i.measure === 'qualitative';
  const baseline = decimal(i.baselineValue);
  const hasBaseline = baseline !== null || (qualitative && !isBlank(i.baselineComment));
  if (!hasBaseline) {
    const reason = !isBlank(i.baselineNotAvailableReason);
    const due = !isBlank(i.baselineDueDate);
    if (reason && !due) {
      fail(
        'indicator_baseline',
        `Indicator ${c}'s baseline is marked not available without a due date: enter the date by which the baseline will be set.`,
      );
    } else if (!reason && due) {
      fail(
        'indicator_baseline',
        `Indicator ${c}'s baseline is marked not available without a reason: explain why the baseline is not available yet.`,
      );
    } else if (!reason) {
      const what = qualitative ? 'describe the starting situation' : 'enter the baseline value';
      fail(
        'indicator_baseline',
        `Indicator ${c} has no baseline: ${what}, or mark it not available with the reason and the date by which it will be set.`,
      );
    }
  }
  return baseline;
}

/** End target: a value (quantitative) or a described end state (qualitative). @returns the end target value, null when none */
function checkEndTarget(i: IndicatorEntity, fail: IndicatorFail): Decimal | null {
  const c = i.code;
  const endTarget = decimal(i.endTargetValue);
  if (isOneOf(QUANTITATIVE_MEASURES, i.measure) && endTarget === null) {
    fail(
      'indicator_end_target',
      `Indicator ${c} has no end target: enter the value it should reach by the end of the project.`,
    );
  } else if (i.measure === 'qualitative' && isBlank(i.endTargetDescription)) {
    fail(
      'indicator_end_target',
      `Indicator ${c} has no end target: describe the end state it should reach by the end of the project.`,
    );
  } else if (!isOneOf(MEASURES, i.measure) && endTarget === null && isBlank(i.endTargetDescription)) {
    fail(
      'indicator_end_target',
      `Indicator ${c} has no end target: enter the value (or, for a qualitative indicator, describe the end state) it should reach by the end of the project.`,
    );
  }
  return endTarget;
}

/**
 * Levels use `latest`. A percentage may use `sum`: its actuals carry numerator and denominator
 * (required at entry) and are pooled over time, 100·Σnum/Σden (docs/RULES.md, roll-ups).
 */
function checkLevelAggregation(i: IndicatorEntity, fail: IndicatorFail): void {
  const levelKind = [
    i.direction === 'decrease' ? 'decreasing' : null,
    i.measure === 'ordinal' ? i.measure : null,
  ].filter((w) => w !== null);
  if (i.aggregation === 'sum' && levelKind.length > 0) {
    fail(
      'indicator_latest_aggregation',
      `Indicator ${i.code} is ${/^[aeiou]/.test(levelKind[0]) ? 'an' : 'a'} ${levelKind.join(' ')} indicator but uses "sum": set its aggregation to "latest", as its values are levels that cannot be added up over periods.`,
    );
  }
}

/** Period targets against the end target (quantitative values only). */
function checkTargetsMatchEndTarget(
  i: IndicatorEntity,
  endTarget: Decimal | null,
  targets: PeriodTargetEntity[],
  fail: IndicatorFail,
): void {
  const c = i.code;
  if (i.measure === 'qualitative' || endTarget === null || targets.length === 0) return;
  // A percentage's period targets are levels even on `sum` (never added): the latest rule applies.
  if (i.aggregation === 'sum' && i.measure !== 'percentage') {
    const missing = targets.filter((t) => decimal(t.value) === null);
    const total = targets.reduce((sum, t) => sum.plus(decimal(t.value) ?? 0), new CalcDecimal(0));
    if (missing.length > 0) {
      fail(
        'sum_period_targets_match_end_target',
        `Indicator ${c} adds up its period targets ("sum"), but the period target${missing.length > 1 ? 's' : ''} for ${list(missing.map(period))} ${missing.length > 1 ? 'have' : 'has'} no value: ` +
          `enter ${missing.length > 1 ? 'them' : 'it'} so that the period targets add up to the end target (${show(endTarget)}).`,
      );
    } else if (!total.equals(endTarget)) {
      fail(
        'sum_period_targets_match_end_target',
        `Indicator ${c} adds up its period targets ("sum"), but they total ${show(total)} while the end target is ${show(endTarget)}: adjust the period targets or the end target so that they match.`,
      );
    }
  } else if (i.aggregation === 'latest' || i.measure === 'percentage') {
    const last = targets[targets.length - 1];
    const value = decimal(last.value);
    if (value === null || !value.equals(endTarget)) {
      fail(
        'latest_period_target_matches_end_target',
        `Indicator ${c} takes its latest value ("latest"), but its last period target (${period(last)}) is ${value === null ? 'empty' : show(value)} while the end target is ${show(endTarget)}: ` +
          'make the last period target equal to the end target.',
      );
    }
  }
}

/** Direction (rule {@link isBeyondBaseline}, shared with the save): end target strictly beyond the baseline, period targets on that side or equal. */
function checkTargetsBeyondBaseline(
  i: IndicatorEntity,
  baseline: Decimal | null,
  endTarget: Decimal | null,
  targets: PeriodTargetEntity[],
  fail: IndicatorFail,
): void {
  const c = i.code;
  if (i.measure === 'qualitative' || baseline === null || !isOneOf(DIRECTIONS, i.direction)) return;
  const up = i.direction === 'increase';
  const side = up ? 'above' : 'below';
  if (endTarget !== null && !isBeyondBaseline(endTarget, baseline, i.direction, true)) {
    fail(
      'end_target_beyond_baseline',
      `Indicator ${c} should ${i.direction}, but its end target (${show(endTarget)}) is not ${side} the baseline (${show(baseline)}): set an end target ${side} the baseline, or correct the direction.`,
    );
  }
  const wrongSide = targets.filter((t) => {
    const v = decimal(t.value);
    return v !== null && !isBeyondBaseline(v, baseline, i.direction, false);
  });
  if (wrongSide.length > 0) {
    const opposite = up ? 'below' : 'above';
    fail(
      'period_targets_beyond_baseline',
      `Indicator ${c} should ${i.direction}, but ${wrongSide.length > 1 ? 'its period targets' : 'its period target'} for ${list(wrongSide.map((t) => `${period(t)} (${show(decimal(t.value) as Decimal)})`))} ` +
        `${wrongSide.length > 1 ? 'are' : 'is'} ${opposite} the baseline (${show(baseline)}): set every period target ${side} or equal to the baseline.`,
    );
  }
}

/** Period targets within the project's dates (rule {@link isPeriodWithinProject}, shared with the save). */
function checkTargetsWithinProject(
  i: IndicatorEntity,
  project: ProjectEntity,
  targets: PeriodTargetEntity[],
  fail: IndicatorFail,
): void {
  const outside = targets.filter((t) => !isPeriodWithinProject(t, project));
  if (outside.length === 0) return;
  const dates =
    project.startDate && project.endDate
      ? `${project.startDate} to ${project.endDate}`
      : project.startDate
        ? `from ${project.startDate}`
        : `until ${project.endDate}`;
  fail(
    'period_targets_within_project_dates',
    `Indicator ${i.code} has ${outside.length > 1 ? 'period targets' : 'a period target'} outside the project's dates (${dates}): ${list(outside.map(period))}. ` +
      `Move ${outside.length > 1 ? 'them' : 'it'} within the project's dates, or correct the project's dates.`,
  );
}

/** The configurable sex disaggregation rule, then the warnings (period targets, SDG indicator's target linked). */
function checkIndicatorExtras(
  i: IndicatorEntity,
  targets: PeriodTargetEntity[],
  linkedTargets: Set<string>,
  fail: IndicatorFail,
): void {
  const c = i.code;
  // Configurable: people-counting indicators are disaggregated by sex.
  if (isPeopleCounting(i) && !(i.requiredDisaggregations ?? []).some((d) => d.trim().toLowerCase() === 'sex')) {
    fail(
      'sex_disaggregation',
      `Indicator ${c} counts people but does not require disaggregation by sex: add "sex" to its required disaggregations.`,
    );
  }
  // Warnings.
  if (targets.length === 0) {
    fail(
      'indicator_period_targets',
      `Indicator ${c} has no period targets: add milestones (period targets) so that progress can be judged during the project.`,
    );
  }
  if (!isBlank(i.sdgIndicatorCode)) {
    const target = impliedSdgTarget(i.sdgIndicatorCode as string);
    if (!linkedTargets.has(target)) {
      fail(
        'sdg_indicator_target_linked',
        `Indicator ${c} names SDG indicator ${(i.sdgIndicatorCode as string).trim()}, but its target ${target} is not linked anywhere in the logframe: ` +
          `link SDG target ${target} to the project, an outcome or an output, or correct the SDG indicator.`,
      );
    }
  }
}
