/**
 * Controlled vocabularies of the RBM domain (../shared/DESIGN.md). Each is stored as a
 * PostgreSQL enum type of the same name in snake_case. The RBM vocabularies (measures, directions,
 * aggregations, collection frequencies, ratings, progress statuses) are declared once in
 * libs/calculations/src/vocabulary.ts (browser-safe, shared with the web app) and re-exported here.
 */
export {
  AGGREGATIONS,
  COLLECTION_FREQUENCIES,
  DIRECTIONS,
  MEASURES,
  MILESTONE_RATINGS,
  OUTCOME_RATINGS,
  PROGRESS_STATUSES,
  type Aggregation,
  type CollectionFrequency,
  type Direction,
  type Measure,
  type MilestoneRating,
  type OutcomeRating,
  type ProgressStatus,
} from '#libs/calculations';
export const ORG_UNIT_TYPES = ['hq_division', 'regional_office', 'country_office', 'programme_office'] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

export const ROLES = ['project_manager', 'rbm_focal_point', 'donor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PROGRAMME_SCOPES = ['global', 'regional', 'country'] as const;
export type ProgrammeScope = (typeof PROGRAMME_SCOPES)[number];

/** Where a project, value or element came from: typed in, or imported (IATI 2.03). */
export const PROVENANCES = ['entered', 'imported'] as const;
export type Provenance = (typeof PROVENANCES)[number];

/** Logframe revision lifecycle (DESIGN.md §3). `superseded`: an approved revision replaced by a later approval. */
export const REVISION_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'superseded'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

/** Level of an indicator in the results chain; impact indicators sit on the project. */
export const INDICATOR_LEVELS = ['impact', 'outcome', 'output'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

export const SDG_CONTRIBUTIONS = ['primary', 'secondary'] as const;
export type SdgContribution = (typeof SDG_CONTRIBUTIONS)[number];

/** Elements of the results chain that can carry SDG links, comments and assumptions. */
export const ELEMENT_TYPES = ['project', 'outcome', 'output', 'activity', 'indicator', 'assumption'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const ASSUMPTION_KINDS = ['assumption', 'risk'] as const;
export type AssumptionKind = (typeof ASSUMPTION_KINDS)[number];

export const LIKELIHOODS = ['low', 'medium', 'high'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export const REPORT_SCOPES = ['project', 'programme', 'donor', 'sdg_target', 'org_unit'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

/** Report job status (DESIGN.md §6): requested → queued → running → completed | failed. */
/** `superseded`: at build time its content matched another report of the same scope and quarter (`supersededById`). */
export const REPORT_STATUSES = ['requested', 'queued', 'running', 'completed', 'failed', 'superseded'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf', 'xml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
