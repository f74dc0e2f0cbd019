import { canonicalSha256 } from '#libs/logframe';
import { CALCULATION_VERSION } from '#libs/calculations';
import type { ReportScope } from '#libs/database';
import type { ProjectInputStamps } from './report-inputs.repository.js';

/**
 * Names the way fingerprints are computed: from version stamps (docs/RULES.md, "Report fingerprint").
 * Fingerprints of the former input-hash scheme never equal one of these.
 */
export const FINGERPRINT_SCHEME = 'input-stamps-1';

/**
 * The fingerprint of a project report's content (DESIGN.md §6): SHA-256 of the canonical JSON of
 * - the scope (project id) and the quarter (year, quarter),
 * - the revision in force (id, number, status, version, snapshot SHA-256 once approved),
 * - the version stamps of every input the content shows, maintained in SQL by triggers
 *   (`report_input_stamp`): the project row, its funding agreements and indicator series; the revision's
 *   logframe (every element, period targets, SDG links, assumptions; the approver's name); the actuals
 *   and their disaggregation of every quarter up to this one; this quarter's progress report row
 *   (validation state, restatement, who submitted and validated it), outcome ratings, explanations of
 *   variance, narrative and assumption/risk updates,
 * - the settings version in force and the calculation version.
 * Same inputs → same fingerprint → one report (database unique key). Computed from one small read
 * ({@link ReportInputsRepository.inputStamps}), never from the inputs themselves.
 */
export function projectReportFingerprint(stamps: ProjectInputStamps, year: number, quarter: number): string {
  return canonicalSha256(projectFingerprintInput(stamps, year, quarter));
}

function projectFingerprintInput(stamps: ProjectInputStamps, year: number, quarter: number) {
  return {
    scheme: FINGERPRINT_SCHEME,
    scope: { type: 'project', id: stamps.projectId },
    period: { year, quarter },
    revision: stamps.revision,
    stamps: stamps.stamps,
    settingsVersion: stamps.settingsVersion,
    calculationVersion: CALCULATION_VERSION,
  };
}

/**
 * The fingerprint of a multi-project report (programme, donor, org unit, SDG target): the scope and the
 * name, code and title its cover prints, the quarter, each project's {@link projectReportFingerprint}
 * (sorted: funding agreements are in each project's stamps), the stamp of the reference rows the report
 * prints (donors, org units, programmes, standard indicators, SDG targets), the calculation version and,
 * when the report is restricted to the caller's org units, those unit ids (sorted).
 */
export function portfolioReportFingerprint(
  scope: { type: ReportScope; id: string },
  year: number,
  quarter: number,
  portfolio: { name: string; code: string; title: string; projects: ProjectInputStamps[]; globalStamp: string },
  restrictedToUnitIds: string[] = [],
): string {
  return canonicalSha256({
    scheme: FINGERPRINT_SCHEME,
    scope,
    // Present only when restricted (docs/RULES.md, report reach).
    ...(restrictedToUnitIds.length ? { restrictedToUnitIds: [...restrictedToUnitIds].sort() } : {}),
    period: { year, quarter },
    names: { name: portfolio.name, code: portfolio.code, title: portfolio.title },
    projects: portfolio.projects.map((p) => projectReportFingerprint(p, year, quarter)).sort(),
    globalStamp: portfolio.globalStamp,
    calculationVersion: CALCULATION_VERSION,
  });
}
