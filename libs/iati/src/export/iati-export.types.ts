import type { LogframeTree } from '#libs/logframe';

/**
 * Namespace of the RBM Tracker extension (defined beside the parser that reads it). IATI 2.03 admits
 * elements of other namespaces at the end of `iati-activity`, `result`, `indicator`, `baseline`,
 * `target` and `actual` (`xsd:any namespace="##other"`). Documented in docs/RULES.md.
 */
export { RBM_IATI_NS } from '../parser/iati-extension.js';
/** Prefix the exporter declares for {@link RBM_IATI_NS} (a reader must go by the namespace URI). */
export const RBM_IATI_PREFIX = 'rbm';

/** How serious an export note is: `error` keeps the activity out of the file, `warning` does not. */
export type ExportIssueSeverity = 'error' | 'warning';

/** Machine codes of export notes (like the IATI Validator's). */
export type ExportIssueCode =
  | 'activity_dates_reversed'
  | 'activity_dates_missing'
  | 'percentage_out_of_range'
  | 'sdg_tag_inconsistent'
  | 'identifier_invalid'
  | 'identifier_taken'
  | 'period_longer_than_year'
  | 'period_dates_reversed'
  | 'result_without_indicators'
  | 'baseline_year_missing';

/** One note of the export report, addressed by element path (`iati-activity[ID]/result[2]/indicator[1]`). */
export interface ExportIssue {
  severity: ExportIssueSeverity;
  code: ExportIssueCode;
  path: string;
  message: string;
}

/** The organisation as publisher (settings required before any export). */
export interface PublisherSettings {
  organisationIdentifier: string;
  organisationName: string;
  /** IATI OrganisationType code, e.g. `40`. */
  organisationType: string;
  /** ISO 639-1. */
  defaultLanguage: string;
  /** ISO 4217. */
  defaultCurrency: string;
}

/** A validated actual as exported (evidence link only when marked public). */
export interface ExportActual {
  periodStart: string;
  periodEnd: string;
  value: string | null;
  text: string | null;
  publicEvidenceUrl: string | null;
  disaggregations: { dimension: string; category: string; value: string | null }[];
  /** The explanation of variance given with the validated quarter containing `periodEnd`. */
  varianceExplanation: string | null;
}

/** Everything one activity is written from (loaded by the repository; the writer is pure). */
export interface ActivityExportInput {
  iatiIdentifier: string;
  /** The approved revision in force (only approved content is exported). */
  tree: LogframeTree;
  funders: { ref: string | null; name: string }[];
  /** Validated actuals by indicator stable id. */
  actuals: Map<string, ExportActual[]>;
  /** Period target disaggregations by period target id. */
  targetDisaggregations: Map<string, { dimension: string; category: string; value: string | null }[]>;
  /** `last-updated-datetime`: the latest change of what is exported. */
  lastUpdated: Date;
}

/** Project listed in the report without being exported, and why. */
export interface SkippedProject {
  projectId: string;
  code: string;
  reason: 'not_published' | 'no_approved_revision' | 'other_publisher' | 'errors';
  message: string;
}

/** The export report (IATI Validator style): what went in, what was kept out and why. */
export interface IatiExportReport {
  generatedAt: string;
  activities: { projectId: string; iatiIdentifier: string }[];
  skipped: SkippedProject[];
  errors: ExportIssue[];
  warnings: ExportIssue[];
}
