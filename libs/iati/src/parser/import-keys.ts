import type { ParsedActivity, ParsedOrg } from './iati-parse.types.js';

/**
 * The org unit an activity is imported into when the import names none: its reporting-org, code = the
 * `@ref` (else the name) with every run of other characters than letters, digits, `_` and `-` made a
 * `-`, cut to 32 characters.
 */
export function reportingOrgUnit(org: ParsedOrg): { code: string; name: string } {
  const ref = (org.ref ?? org.name ?? 'IATI-UNKNOWN').trim();
  return { code: ref.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 32), name: org.name ?? ref };
}

/** A funding organisation's IATI organisation identifier as a donor is matched by: `@ref` trimmed; null when empty. */
export function funderRef(org: ParsedOrg): string | null {
  return org.ref?.trim() || null;
}

/**
 * The keys of the rows an import of these activities may create, each list distinct, in first-seen
 * order; activities without an identifier are left out (they are not imported).
 */
export interface ImportKeys {
  /** The activities' iati-identifiers (their projects). */
  identifiers: string[];
  /** The funders' IATI organisation identifiers (their donors). */
  funderRefs: string[];
  /** The codes of the org units derived from the reporting-orgs ({@link reportingOrgUnit}). */
  reportingOrgUnitCodes: string[];
}

/** The {@link ImportKeys} of a file's activities. */
export function importKeysOf(activities: ParsedActivity[]): ImportKeys {
  const identifiers = new Set<string>();
  const funderRefs = new Set<string>();
  const unitCodes = new Set<string>();
  for (const activity of activities) {
    if (!activity.iatiIdentifier.trim()) continue;
    identifiers.add(activity.iatiIdentifier);
    for (const org of activity.fundingOrgs) {
      const ref = funderRef(org);
      if (ref) funderRefs.add(ref);
    }
    unitCodes.add(reportingOrgUnit(activity.reportingOrg).code);
  }
  return { identifiers: [...identifiers], funderRefs: [...funderRefs], reportingOrgUnitCodes: [...unitCodes] };
}
