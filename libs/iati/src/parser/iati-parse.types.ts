/**
 * Shapes produced by the pure IATI 2.03 results parser (`parseIatiActivities`).
 *
 * Every figure is an exact decimal STRING, normalised (no grouping separators, no trailing
 * zeros, no exponent: `'3500000'`, `'12.5'`, `'-0.25'`). Dates are calendar dates `YYYY-MM-DD`.
 * Nothing here touches a database: an importer maps these shapes onto the logframe.
 */
import type { Aggregation, Direction, Measure } from '#libs/calculations';

/** How serious an import note is: `error` = data dropped, `warning` = needs a human check, `info` = a note. */
export type ImportIssueSeverity = 'error' | 'warning' | 'info';

/** Machine codes of import notes: every code the parser emits is listed here. */
export type ImportIssueCode =
  // file and activity level
  | 'identifier_missing'
  | 'identifier_duplicate'
  | 'title_missing'
  | 'activity_date_invalid'
  | 'activity_dates_reversed'
  | 'budget_summed'
  | 'budget_currency_missing'
  | 'budget_currency_mixed'
  | 'budget_value_invalid'
  | 'sdg_code_normalised'
  | 'sdg_code_invalid'
  | 'sdg_code_unknown'
  // result level
  | 'result_type_name_used'
  | 'result_type_unknown'
  | 'output_unlinked'
  // indicator level
  | 'measure_missing'
  | 'measure_name_used'
  | 'measure_unknown'
  | 'nominal_as_number'
  | 'nominal_as_qualitative'
  | 'ascending_missing'
  | 'ascending_invalid'
  | 'ascending_untrusted'
  | 'aggregation_inferred'
  | 'end_target_inferred'
  | 'end_target_missing'
  | 'baseline_multiple'
  | 'baseline_year_invalid'
  // value level
  | 'value_not_numeric'
  | 'value_missing'
  | 'value_narrative_only'
  | 'currency_parsed'
  | 'currency_mixed'
  | 'total_missing'
  | 'total_multiple'
  | 'dimension_incomplete'
  | 'dimension_combined'
  | 'value_out_of_range'
  // period level
  | 'period_date_invalid'
  | 'period_dates_reversed'
  // import (persistence) level
  | 'logframe_locked'
  | 'funder_without_ref'
  | 'indicator_title_changed'
  | 'indicator_skipped_locked'
  | 'actual_kept_entered'
  | 'project_out_of_scope'
  | 'activity_not_imported'
  | 'iati_extension_invalid';

/** One note about the import, addressed by an element path so a person can find the raw data. */
export interface ImportIssue {
  severity: ImportIssueSeverity;
  /**
   * Where in the file, e.g. `iati-activity[GB-GOV-3-300123]/result[2]/indicator[1]/period[3]/actual/@value`.
   * Positions are 1-based among siblings of the same name; an activity without an identifier is
   * addressed by position (`iati-activity[#3]`). An index is shown on `target`/`actual`/`baseline`
   * only when the period (or indicator) holds more than one of them.
   */
  path: string;
  /** Machine code, one of {@link ImportIssueCode}. */
  code: ImportIssueCode;
  /** Plain English a project manager understands, quoting the raw value. */
  message: string;
  /** `iati-identifier` of the activity concerned, when it has one. */
  iatiIdentifier?: string;
}

/** Result of {@link parseIatiActivities}: the activities found and every note raised on the way. */
export interface IatiParseResult {
  activities: ParsedActivity[];
  issues: ImportIssue[];
}

/** An organisation reference: `@ref` (IATI organisation identifier) and its first narrative. */
export interface ParsedOrg {
  ref: string | null;
  name: string | null;
}

/** An SDG target linked to the activity. */
export interface ParsedSdgTarget {
  /** Normalised UN code, e.g. `'16.4'`, `'1.a'`. */
  code: string;
  /** `tag` = `<tag vocabulary="3">`, `sector` = `<sector vocabulary="8">`. */
  source: 'tag' | 'sector';
  /** The `@code` as written in the file, e.g. `'1.A'`. */
  rawCode: string;
}

/** One `<iati-activity>`. */
export interface ParsedActivity {
  /** `<iati-identifier>` text (empty string when the file gives none; an `identifier_missing` error is raised). */
  iatiIdentifier: string;
  /** First (English when marked) `<title><narrative>`; empty string when missing. */
  title: string;
  /** `<description type="1">` (general), else the first `<description>`; first English narrative. */
  description: string | null;
  /** `<reporting-org @ref>` and its narrative. */
  reportingOrg: ParsedOrg;
  /** `<participating-org role="1">` (funding), in file order, de-duplicated. */
  fundingOrgs: ParsedOrg[];
  /**
   * Start date from `<activity-date>`: actual start (type 2) when given, else planned start (type 1).
   * (IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.)
   */
  startDate: string | null;
  /** End date: actual end (type 4) when the activity has ended, else planned end (type 3). */
  endDate: string | null;
  /** `<recipient-country @code>` values, upper case, unique, in file order. */
  countries: string[];
  /**
   * Activity budget from `<budget>`: the revised (type 2) budget of each budget period, else the
   * original (type 1), summed over distinct periods; `@currency` or the activity's
   * `@default-currency`. `null` when there is no budget or the currency cannot be settled.
   */
  budget?: { amount: string; currency: string } | null;
  /** SDG targets from `<tag vocabulary="3">` and `<sector vocabulary="8">`; unique by code (tag first). */
  sdgTargets: ParsedSdgTarget[];
  /** SDG goal numbers (`'1'`..`'17'`) from `<tag vocabulary="2">` and `<sector vocabulary="7">`; unique. */
  sdgGoals: string[];
  /** `<result>` elements in file order. */
  results: ParsedResult[];
  /** `@xml:lang` of the activity (ISO 639-1), when given. */
  language?: string | null;
  /** `<sector vocabulary="1">` (DAC 5-digit) code, when given. */
  dacSectorCode?: string | null;
  /** The RBM Tracker extension (`rbm:logframe`), when the file carries it (our own export). */
  extension?: ExtensionActivity | null;
}

/** An SDG link carried by the extension (`rbm:sdg-link`). */
export interface ExtensionSdgLink {
  target: string;
  contribution: 'primary' | 'secondary';
  rationale: string | null;
}

/** An assumption or risk carried by the extension (`rbm:assumption`). */
export interface ExtensionAssumption {
  id: string | null;
  kind: 'assumption' | 'risk';
  statement: string;
  likelihood: 'low' | 'medium' | 'high' | null;
  impact: 'low' | 'medium' | 'high' | null;
  mitigation: string | null;
}

/** Activity-level extension: theory of change, project SDG links and assumptions. */
export interface ExtensionActivity {
  theoryOfChange: string | null;
  sdgLinks: ExtensionSdgLink[];
  assumptions: ExtensionAssumption[];
}

/** Result-level extension (`rbm:element`): stable id, code, the outcome of an output. */
export interface ExtensionResult {
  id: string | null;
  code: string | null;
  outcomeCode: string | null;
  sdgLinks: ExtensionSdgLink[];
  assumptions: ExtensionAssumption[];
}

/** Indicator-level extension (`rbm:indicator`). */
export interface ExtensionIndicator {
  id: string | null;
  code: string | null;
  unit: string | null;
  aggregation: 'sum' | 'latest' | null;
  collectionFrequency: string | null;
  meansOfVerification: string | null;
  dataSource: string | null;
  definition: string | null;
  requiredDisaggregations: string[];
  endTarget: {
    value: string | null;
    numerator: string | null;
    denominator: string | null;
    description: string | null;
  } | null;
}

/** One `<result>`. */
export interface ParsedResult {
  /** 1-based position among the activity's `<result>` elements. */
  position: number;
  /** `@type`: 1 output, 2 outcome, 3 impact, 9 other (codelist names accepted too). */
  type: 'output' | 'outcome' | 'impact' | 'other';
  title: string;
  description: string | null;
  /** `@aggregation-status` (`1`/`true`, `0`/`false`); `null` when absent or unreadable. */
  aggregationStatus: boolean | null;
  indicators: ParsedIndicator[];
  extension?: ExtensionResult | null;
}

/** Logframe measure of an indicator. */
export type IndicatorMeasure = Measure;

/** One `<indicator>`. */
export interface ParsedIndicator {
  /** 1-based position among the result's `<indicator>` elements. */
  position: number;
  title: string;
  description: string | null;
  /**
   * `@measure` code as published (1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative); a codelist
   * name written instead of the code (`"Unit"`) gives its code (noted); `null` if absent or unknown.
   */
  iatiMeasure: number | null;
  /** 1 → number, 2 → percentage, 4 → ordinal, 5 → qualitative; 3 and missing are decided from the values (flagged). */
  measure: IndicatorMeasure;
  /** `@ascending` as published (`1`/`true`, `0`/`false`); `null` when absent or unreadable. */
  ascending: boolean | null;
  /** Desired direction of change, checked against baseline and targets (see `directionInferred`). */
  direction: Direction;
  /** `true` when `direction` is not simply `@ascending` (absent, contradicted by targets, or distrusted). */
  directionInferred: boolean;
  /**
   * How period values combine over time: `latest` for running totals, percentages, ordinal and
   * qualitative measures and decreasing indicators; otherwise `sum`. IATI has no such flag, so it is
   * always inferred and an `aggregation_inferred` note is raised.
   */
  aggregation: Aggregation;
  aggregationInferred: true;
  /** ISO 4217 currency when the values carried one (e.g. `'GBP'` from `£3,500,000`), else `null`. */
  unit: string | null;
  /** `<baseline>` (the one without `<dimension>` when several). */
  baseline: ParsedBaseline | null;
  /** Numeric target of the last period (by period end) that has one. IATI has no end target. */
  endTarget: string | null;
  /** `true` when `endTarget` was taken from the last period target (always, when it is set). */
  endTargetInferred: boolean;
  /** Normalised `<reference vocabulary="9" @code>` values (UN SDG indicator codes, e.g. `'16.4.1'`). */
  sdgIndicatorCodes: string[];
  /**
   * `<period>` elements in file order. Periods whose start or end is missing, not a date or not
   * plausible (outside 1900–2100, e.g. the placeholder `9999-12-31`) are skipped with an error.
   */
  periods: ParsedPeriod[];
  extension?: ExtensionIndicator | null;
}

/** `<baseline @year @iso-date @value>` with its `<comment>`. */
export interface ParsedBaseline {
  year: number | null;
  isoDate: string | null;
  /** Normalised decimal, or `null` when absent or not a number. */
  value: string | null;
  /** `@value` as written (kept for qualitative indicators and for review). */
  raw: string | null;
  comment: string | null;
  /** Percentages: numerator and denominator from the extension's `rbm:ratio`. */
  numerator?: string | null;
  denominator?: string | null;
}

/** One `<period>`: its own dates, the total target/actual and any disaggregated values. */
export interface ParsedPeriod {
  /** 1-based position among the indicator's `<period>` elements (gaps mean a period was skipped). */
  position: number;
  /** `<period-start @iso-date>`, `YYYY-MM-DD`. */
  periodStart: string;
  /** `<period-end @iso-date>`, `YYYY-MM-DD`. */
  periodEnd: string;
  /** The `<target>` without `<dimension>`; `null` when absent (or only disaggregated targets exist). */
  target: ParsedValue | null;
  /** The `<actual>` without `<dimension>`; `null` when absent (or only disaggregated actuals exist). */
  actual: ParsedValue | null;
  /** `<target>` elements that carry `<dimension @name @value>`. */
  targetDimensions: ParsedDimensionValue[];
  /** `<actual>` elements that carry `<dimension @name @value>`. */
  actualDimensions: ParsedDimensionValue[];
}

/** A `<target>`, `<actual>` value. */
export interface ParsedValue {
  /** Normalised decimal parsed from `@value`, or `null` when absent or unusable (a note says why). */
  value: string | null;
  /** `@value` as written, or `null` when the attribute is absent. */
  raw: string | null;
  /** `<comment><narrative>` text (English when marked, else the first). */
  comment: string | null;
  /** ISO 4217 code when `@value` carried a currency symbol or code. */
  currency?: string;
  /** Percentages: numerator and denominator from the extension's `rbm:ratio`. */
  numerator?: string | null;
  denominator?: string | null;
}

/**
 * A disaggregated value: `<dimension name="sex" value="female"/>` on a `<target>`/`<actual>`
 * whose `@value` is the figure. When one element carries several dimensions they are combined
 * into one entry (`name` `'sex / age'`, `category` `'female / 0-5'`), since the figure belongs
 * to the intersection.
 */
export interface ParsedDimensionValue {
  /** `<dimension @name>`, e.g. `'sex'`. */
  name: string;
  /** `<dimension @value>`, e.g. `'female'`. */
  category: string;
  /** Normalised decimal from the element's `@value`, or `null`. */
  value: string | null;
}

/** Options of {@link parseIatiActivities}. */
export interface IatiParseOptions {
  /** Tells whether a normalised SDG target code (e.g. `'16.4'`) exists; unknown codes are dropped with a warning. */
  sdgTargetExists?: (code: string) => boolean;
  /** Tells whether a normalised SDG indicator code (e.g. `'16.4.1'`) exists; unknown codes are dropped with a warning. */
  sdgIndicatorExists?: (code: string) => boolean;
}
