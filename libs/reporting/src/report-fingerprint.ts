import { canonicalSha256, logframeSnapshot } from '#libs/logframe';
import { CALCULATION_VERSION } from '#libs/calculations';
import type { ReportScope } from '#libs/database';
import type { PortfolioFunding } from './portfolio-report.js';
import type { ProjectReportSource } from './report-inputs.repository.js';

/**
 * The fingerprint of a report's content (DESIGN.md §6): SHA-256 of the canonical JSON of
 * - the scope (type, id) and the quarter (year, quarter),
 * - the SHA-256 of the canonical logframe revision used (the working copy until approval exists;
 *   then the approved snapshot's hash),
 * - every actual used: `[id, version]`, sorted by id,
 * - the quarter's validation state (status, restatement), the manager's outcome ratings and explanations,
 * - the quarter's narrative (added only when one is saved, so fingerprints without one are unchanged),
 * - the thresholds (settings) version and the calculation version.
 * Same inputs → same fingerprint → one report (database unique key).
 */
export function projectReportFingerprint(source: ProjectReportSource, year: number, quarter: number): string {
  const actuals = [...source.actualsBySeries.values()]
    .flat()
    .map((a) => [a.id, a.version])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return canonicalSha256({
    scope: { type: 'project', id: source.tree.project.id },
    period: { year, quarter },
    logframeSha256: source.tree.revision.snapshotSha256 ?? canonicalSha256(logframeSnapshot(source.tree)),
    revisionStatus: source.tree.revision.status,
    actuals,
    quarterValidated: source.quarterValidated,
    validation: source.validation,
    outcomeRatings: [...source.outcomeRatings.entries()].sort(),
    varianceExplanations: [...source.varianceExplanations.entries()].sort(),
    assumptionUpdates: [...source.assumptionUpdates.entries()].sort(),
    ...(source.narrative ? { narrative: source.narrative } : {}),
    settingsVersion: source.settings.version,
    calculationVersion: CALCULATION_VERSION,
  });
}

/**
 * The fingerprint of a multi-project report (programme, donor, org unit, SDG target): the scope, the
 * quarter, each project's {@link projectReportFingerprint}, the funding links (with each agreement's amount,
 * currency and dates when recorded), the calculation version and,
 * when the report is restricted to the caller's org units, those unit ids (sorted).
 */
export function portfolioReportFingerprint(
  scope: { type: ReportScope; id: string },
  year: number,
  quarter: number,
  portfolio: { sources: ProjectReportSource[]; fundedBy: Map<string, PortfolioFunding[]> },
  restrictedToUnitIds: string[] = [],
): string {
  return canonicalSha256({
    scope,
    // Present only when restricted (docs/RULES.md, report reach), so unrestricted fingerprints stay what they were.
    ...(restrictedToUnitIds.length ? { restrictedToUnitIds: [...restrictedToUnitIds].sort() } : {}),
    period: { year, quarter },
    projects: portfolio.sources.map((source) => projectReportFingerprint(source, year, quarter)).sort(),
    funding: [...portfolio.fundedBy.entries()]
      .map(([projectId, donors]) => [
        projectId,
        donors
          .map((d) =>
            // The agreement's figures are printed on the cover: a changed amount or date is new content.
            d.amount != null || d.currency || d.startDate || d.endDate
              ? [d.donorId, d.amount ?? null, d.currency ?? null, d.startDate ?? null, d.endDate ?? null].join('|')
              : d.donorId,
          )
          .sort(),
      ])
      .sort(),
    calculationVersion: CALCULATION_VERSION,
  });
}
