import { createHash } from 'node:crypto';
import { serveOffThread } from '#libs/common';
import { parseIatiActivities } from './iati-activities.parser.js';
import { importKeysOf } from './import-keys.js';
import { type IatiParseInput, type IatiParseMessage, ISSUES_PER_CHUNK } from './iati-parse-off-thread.js';

/**
 * Worker thread body of parseIatiActivitiesOffThread: hashes and parses one IATI file, and answers
 * each activity as its own JSON text (copied back cheaply; the importer parses one at a time).
 */
serveOffThread(({ xml, sdgTargetCodes, sdgIndicatorCodes }: IatiParseInput): IatiParseMessage => {
  const targets = new Set(sdgTargetCodes);
  const indicators = new Set(sdgIndicatorCodes);
  const sha256 = createHash('sha256').update(xml).digest('hex');
  const parsed = parseIatiActivities(xml, {
    sdgTargetExists: (c) => targets.has(c),
    sdgIndicatorExists: (c) => indicators.has(c),
  });
  return {
    sha256,
    activities: parsed.activities.map((a) => JSON.stringify(a)),
    keys: importKeysOf(parsed.activities),
    issues: Array.from({ length: Math.ceil(parsed.issues.length / ISSUES_PER_CHUNK) }, (_, i) =>
      JSON.stringify(parsed.issues.slice(i * ISSUES_PER_CHUNK, (i + 1) * ISSUES_PER_CHUNK)),
    ),
  };
});
