import { Decimal } from 'decimal.js';
import { COLLECTION_FREQUENCIES, type IndicatorEntity, type IndicatorLevel, type ReviewFlag } from '#libs/database';
import type { ParsedIndicator } from './parser/index.js';

/** Non-blank texts joined by a blank line, each once (a qualitative value's `@value` and its comment). */
export function joinTexts(...texts: (string | null | undefined)[]): string | null {
  const parts = [...new Set(texts.map((t) => t?.trim() ?? '').filter((t) => t !== ''))];
  return parts.length ? parts.join('\n\n') : null;
}

/** Where an imported indicator hangs: under an outcome, an output, or (both null) on the project. */
export interface IndicatorParent {
  outcomeId: string | null;
  outputId: string | null;
}

/** The columns of an indicator an import writes (matched rows are compared on exactly these). */
export type ImportedIndicatorValues = Partial<IndicatorEntity> & { title: string };

/** Percentage figures outside 0–100 as published (baseline, period targets and actuals, disaggregated or not). */
function percentagesOutOfRange(parsed: ParsedIndicator): string[] {
  const figures = [
    parsed.baseline?.value,
    ...parsed.periods.flatMap((p) => [
      p.target?.value,
      p.actual?.value,
      ...p.targetDimensions.map((d) => d.value),
      ...p.actualDimensions.map((d) => d.value),
    ]),
  ].filter((v): v is string => v != null);
  return figures.filter((v) => new Decimal(v).lt(0) || new Decimal(v).gt(100));
}

/** The last period target's text of a qualitative indicator (by period end, then start), if any. */
function lastTextTarget(parsed: ParsedIndicator): string | undefined {
  if (parsed.measure !== 'qualitative') return undefined;
  return [...parsed.periods]
    .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart))
    .map((p) => joinTexts(p.target?.raw, p.target?.comment))
    .filter((t): t is string => t !== null)
    .pop();
}

/**
 * The review flags of an imported indicator: what was inferred (aggregation, end target, direction)
 * rather than read, an output not yet linked to an outcome, percentages out of range.
 */
function reviewFlags(parsed: ParsedIndicator, level: IndicatorLevel, parent: IndicatorParent): ReviewFlag[] {
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
  if (level === 'output' && !parent.outcomeId)
    flags.push({ code: 'output_unlinked', message: 'The output is not linked to an outcome yet' });
  const outside = parsed.measure === 'percentage' ? percentagesOutOfRange(parsed) : [];
  if (outside.length)
    flags.push({
      code: 'value_out_of_range',
      message: `Percentage values outside 0–100 as published (${outside.join(', ')}); correct them`,
    });
  // A qualitative indicator's baseline and targets are text (IATI: `@value` omitted, text in the comment).
  if (lastTextTarget(parsed) && !ext?.endTarget)
    flags.push({
      code: 'end_target_inferred',
      message: 'IATI has no end target: the last period target was taken; confirm it',
    });
  return flags;
}

/** The columns only our own export's extension carries (none without it). */
function extensionValues(parsed: ParsedIndicator): Partial<IndicatorEntity> {
  const ext = parsed.extension;
  if (!ext) return {};
  return {
    meansOfVerification: ext.meansOfVerification,
    dataSource: ext.dataSource,
    collectionFrequency: COLLECTION_FREQUENCIES.find((f) => f === ext.collectionFrequency) ?? null,
    requiredDisaggregations: ext.requiredDisaggregations.map((d) => d.slice(0, 40)),
    baselineNumerator: parsed.baseline?.numerator ?? null,
    baselineDenominator: parsed.baseline?.denominator ?? null,
    endTargetNumerator: ext.endTarget?.numerator ?? null,
    endTargetDenominator: ext.endTarget?.denominator ?? null,
  };
}

/**
 * What an imported indicator's row holds (the values compared with, and written to, a matched row),
 * with its review flags. The key order is the comparison's: keep it.
 */
export function importedIndicatorValues(
  parsed: ParsedIndicator,
  level: IndicatorLevel,
  parent: IndicatorParent,
): ImportedIndicatorValues {
  const ext = parsed.extension ?? null;
  const qualitative = parsed.measure === 'qualitative';
  const textTarget = lastTextTarget(parsed);
  return {
    title: parsed.title || `Indicator ${parsed.position}`,
    definition: ext ? ext.definition : parsed.description,
    measure: parsed.measure,
    iatiMeasure: parsed.iatiMeasure,
    unit: ext?.unit ?? parsed.unit,
    direction: ext && parsed.ascending !== null ? (parsed.ascending ? 'increase' : 'decrease') : parsed.direction,
    aggregation: ext?.aggregation ?? parsed.aggregation,
    ...extensionValues(parsed),
    baselineValue: parsed.baseline?.value ?? null,
    baselineYear: parsed.baseline?.year ?? null,
    baselineDate: parsed.baseline?.isoDate ?? null,
    baselineComment: qualitative
      ? joinTexts(parsed.baseline?.raw, parsed.baseline?.comment)
      : (parsed.baseline?.comment ?? null),
    endTargetValue: ext?.endTarget ? ext.endTarget.value : parsed.endTarget,
    endTargetDescription: ext?.endTarget ? ext.endTarget.description : (textTarget ?? null),
    sdgIndicatorCode: parsed.sdgIndicatorCodes[0] ?? null,
    flags: reviewFlags(parsed, level, parent),
    position: parsed.position,
    level,
    outcomeId: parent.outcomeId,
    outputId: parent.outputId,
  };
}
