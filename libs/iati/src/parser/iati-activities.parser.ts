import { IatiParseErrorCode, IatiParseException } from './iati-parse.exception.js';
import type { IatiParseOptions, IatiParseResult, ImportIssue } from './iati-parse.types.js';
import { type XmlElement, attrOrNull, child, children, readXml } from './xml-tree.js';
import { extensionPrefix } from './iati-extension.js';
import { readBoolean } from './parse-support.js';
import { ActivityParser } from './activity.parser.js';

export { isoDatePart } from './parse-support.js';

/**
 * Per reporting organisation: does it mark every indicator `ascending="0"` (two or more)? Such a
 * blanket value says nothing about the indicators (DESIGN section 7: do not trust `@ascending` blindly).
 */
function findBlanketDescending(activities: readonly XmlElement[]): Set<string> {
  const counts = new Map<string, { declared: number; descending: number }>();
  for (const a of activities) {
    const key = attrOrNull(child(a, 'reporting-org'), 'ref') ?? '';
    const c = counts.get(key) ?? { declared: 0, descending: 0 };
    for (const r of children(a, 'result')) {
      for (const i of children(r, 'indicator')) {
        const b = readBoolean(attrOrNull(i, 'ascending'));
        if (b === null || b === 'invalid') continue;
        c.declared++;
        if (b === false) c.descending++;
      }
    }
    counts.set(key, c);
  }
  const blanket = new Set<string>();
  for (const [key, c] of counts) if (c.declared >= 2 && c.descending === c.declared) blanket.add(key);
  return blanket;
}

/**
 * Parses an IATI 2.03 activity file (`<iati-activities>` or a single `<iati-activity>`) into
 * activities with their results chain, for import as draft logframes. Pure: no I/O.
 *
 * Mirrors: `iati-identifier`, `title`, `description`, `reporting-org`, `participating-org role="1"`,
 * `activity-date`, `recipient-country`, `budget`, `tag vocabulary 2/3`, `sector vocabulary 7/8`,
 * `result` → `indicator` (`@measure`, `@ascending`, `reference vocabulary="9"`, `baseline`,
 * `period` → `period-start`, `period-end`, `target`, `actual`, `dimension`, `comment`).
 *
 * Figures are exact decimal strings (see {@link parseIatiNumber}); dates are `YYYY-MM-DD`.
 * Anything unusable (a bad value, a missing date, an unknown code) is reported as an
 * {@link ImportIssue} with its element path and never fails the file. Inferred facts (measure
 * for nominal/missing `@measure`, direction, aggregation, end target) are always flagged.
 *
 * @param xml the document text.
 * @param options `sdgTargetExists` / `sdgIndicatorExists` check normalised SDG codes against the
 *   framework; codes they reject are dropped with an `sdg_code_unknown` warning.
 * @throws IatiParseException `empty_document`, `xml_malformed` (with line and column) or
 *   `not_iati_activities` when the document as a whole cannot be read.
 */
export function parseIatiActivities(xml: string, options: IatiParseOptions = {}): IatiParseResult {
  const { rootName, root } = readXml(xml);
  let activityEls: XmlElement[];
  if (rootName === 'iati-activities') activityEls = children(root, 'iati-activity');
  else if (rootName === 'iati-activity') activityEls = [root];
  else {
    throw new IatiParseException(
      IatiParseErrorCode.NotIatiActivities,
      `This is not an IATI activity file: its root element is <${rootName}>, expected <iati-activities>.`,
    );
  }

  const issues: ImportIssue[] = [];
  const rootPrefix = extensionPrefix(root, null);
  const blanket = findBlanketDescending(activityEls);
  const seen = new Set<string>();
  const activities = activityEls.map((el, i) => {
    const activity = new ActivityParser(el, i + 1, options, blanket, issues, extensionPrefix(el, rootPrefix)).parse();
    if (activity.iatiIdentifier !== '') {
      if (seen.has(activity.iatiIdentifier)) {
        issues.push({
          severity: 'warning',
          path: `iati-activity[${activity.iatiIdentifier}]`,
          code: 'identifier_duplicate',
          message: `The identifier "${activity.iatiIdentifier}" appears more than once in the file; an import keeps only the last one.`,
          iatiIdentifier: activity.iatiIdentifier,
        });
      }
      seen.add(activity.iatiIdentifier);
    }
    return activity;
  });
  return { activities, issues };
}
