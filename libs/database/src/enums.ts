/**
 * Controlled vocabularies of the RBM domain (../shared/DESIGN.md). Each is stored as a
 * PostgreSQL enum type of the same name in snake_case.
 */
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

/** DESIGN.md §2; IATI 2.03 indicator/@measure 1→number, 2→percentage, 4→ordinal, 5→qualitative. */
export const MEASURES = ['number', 'percentage', 'ordinal', 'qualitative'] as const;
export type Measure = (typeof MEASURES)[number];

export const DIRECTIONS = ['increase', 'decrease'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Aggregation over time (DESIGN.md §5): `sum` adds period results, `latest` takes the latest level. */
export const AGGREGATIONS = ['sum', 'latest'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const COLLECTION_FREQUENCIES = ['quarterly', 'semi_annual', 'annual', 'end_of_project'] as const;
export type CollectionFrequency = (typeof COLLECTION_FREQUENCIES)[number];

export const MILESTONE_RATINGS = ['achieved', 'partly_achieved', 'not_achieved'] as const;
export type MilestoneRating = (typeof MILESTONE_RATINGS)[number];

export const SDG_CONTRIBUTIONS = ['primary', 'secondary'] as const;
export type SdgContribution = (typeof SDG_CONTRIBUTIONS)[number];

/** Elements of the results chain that can carry SDG links, comments and assumptions. */
export const ELEMENT_TYPES = ['project', 'outcome', 'output', 'activity', 'indicator', 'assumption'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const ASSUMPTION_KINDS = ['assumption', 'risk'] as const;
export type AssumptionKind = (typeof ASSUMPTION_KINDS)[number];

export const LIKELIHOODS = ['low', 'medium', 'high'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

/** Quarterly progress workflow (DESIGN.md §4). */
export const PROGRESS_STATUSES = ['draft', 'submitted', 'validated', 'returned'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Manager's rating of an outcome in a quarter. */
export const OUTCOME_RATINGS = ['on_track', 'at_risk', 'off_track'] as const;
export type OutcomeRating = (typeof OUTCOME_RATINGS)[number];

export const REPORT_SCOPES = ['project', 'programme', 'donor', 'sdg_target', 'org_unit'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

/** Report job status (DESIGN.md §6): requested → queued → running → completed | failed. */
/** `superseded`: at build time its content matched another report of the same scope and quarter (`supersededById`). */
export const REPORT_STATUSES = ['requested', 'queued', 'running', 'completed', 'failed', 'superseded'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf', 'xml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
