import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { indicatorFields, logframeElements } from './logframe-document.js';
import type { LogframeTree } from './logframe-tree.js';

/**
 * The canonical content of a logframe revision (DESIGN.md §3): elements by stable id, exact
 * decimals as strings, no row ids or timestamps, so two identical logframes give the same JSON
 * (RFC 8785 canonical form via `canonicalize`, sorted keys) and the same SHA-256.
 */
export function logframeSnapshot(tree: LogframeTree): Record<string, unknown> {
  const p = tree.project;
  const { sdgLinks, assumptions, ...elements } = logframeElements(tree, (node) => {
    const { id, code, ...fields } = indicatorFields(node);
    return { id, code, level: node.indicator.level, ...fields };
  });
  return {
    project: {
      id: p.id,
      code: p.code,
      title: p.title,
      orgUnitId: p.orgUnitId,
      programmeId: p.programmeId,
      countries: p.countries,
      startDate: p.startDate,
      endDate: p.endDate,
      budgetAmount: p.budgetAmount,
      budgetCurrency: p.budgetCurrency,
      theoryOfChange: p.theoryOfChange,
      genderMarker: p.genderMarker,
      humanRightsMarker: p.humanRightsMarker,
      lnobGroups: p.lnobGroups,
      sdgLinks,
      assumptions,
    },
    revision: { number: tree.revision.number },
    ...elements,
  };
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256')
    .update(canonicalize(value) ?? 'null')
    .digest('hex');
}
