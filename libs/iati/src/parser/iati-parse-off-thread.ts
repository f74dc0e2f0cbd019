import { setImmediate as nextTurn } from 'node:timers/promises';
import { DomainException, ErrorCode, runOffThread } from '#libs/common';
import type { ImportIssue, ParsedActivity } from './iati-parse.types.js';
import type { ImportKeys } from './import-keys.js';

/**
 * How long parsing one IATI file off the main thread may take, ms: the 1,905-activity file (18 MB,
 * near the 20 MB upload limit) parses in 14-22 s on a loaded 2-core machine.
 */
export const IATI_PARSE_TIMEOUT_MS = 60_000;

/** V8 heap of the worker parsing an IATI file, MB: the 18 MB file of 1,905 activities fails at 128 and parses at 192. */
export const IATI_PARSE_HEAP_MB = 256;

/** What the parse worker is given: the document and the SDG codes that exist. */
export interface IatiParseInput {
  xml: string;
  sdgTargetCodes: string[];
  sdgIndicatorCodes: string[];
}

/**
 * What the parse worker posts: strings only, which cross threads as cheap copies (a structured clone
 * of 1,905 parsed activities took the main thread hundreds of ms to read back).
 */
export interface IatiParseMessage {
  sha256: string;
  /** Each activity's JSON. */
  activities: string[];
  /** The identifiers, funders and reporting-org units of the activities (the import locks them before it writes). */
  keys: ImportKeys;
  /** The parse's issues as JSON, {@link ISSUES_PER_CHUNK} to a text (read back between event-loop turns). */
  issues: string[];
}

/** Issues per JSON text of {@link IatiParseMessage} (20,000 issues read back at once held the event loop). */
export const ISSUES_PER_CHUNK = 1000;

/** A parsed IATI file: its SHA-256 (hex), its issues, and its activities read one at a time. */
export interface IatiParseOutput {
  sha256: string;
  issues: ImportIssue[];
  /** Number of `<iati-activity>` elements. */
  activityCount: number;
  /**
   * The keys of the projects, donors and org units the import may create (read without parsing the
   * activities): the import locks them before it writes.
   */
  keys: ImportKeys;
  /** The activities in file order, each parsed from its JSON when reached (a few ms each). */
  activities(): Iterable<ParsedActivity>;
}

/**
 * Parses an IATI activities document in a worker thread of the shared off-thread pool (with a timeout
 * and a capped heap), so a file of thousands of activities never holds the caller's event loop.
 * Unknown SDG codes are dropped with a warning, as parseIatiActivities does.
 * @returns the document's SHA-256 and what parseIatiActivities returns, activities read one at a time
 * @throws DomainException bad_request (400) when the document is not readable IATI XML (its reason);
 *   payload_too_large (413) naming the limit (`parseSeconds`, `parseMemory`) when the parse runs out
 *   of time or memory
 */
export async function parseIatiActivitiesOffThread(input: IatiParseInput): Promise<IatiParseOutput> {
  const outcome = await runOffThread<IatiParseMessage>(new URL('./iati-parse.worker.js', import.meta.url), input, {
    timeoutMs: IATI_PARSE_TIMEOUT_MS,
    heapMb: IATI_PARSE_HEAP_MB,
  });
  if (outcome.ok) {
    const { sha256, activities, keys, issues: chunks } = outcome.value;
    const issues: ImportIssue[] = [];
    for (const chunk of chunks) {
      issues.push(...(JSON.parse(chunk) as ImportIssue[]));
      await nextTurn();
    }
    return {
      sha256,
      issues,
      activityCount: activities.length,
      keys,
      *activities() {
        for (const json of activities) yield JSON.parse(json) as ParsedActivity;
      },
    };
  }
  if (outcome.reason === 'timeout') {
    const message = `The IATI file could not be read within ${IATI_PARSE_TIMEOUT_MS / 1000} seconds: split it into smaller files`;
    throw DomainException.payloadTooLarge(message, [
      {
        path: 'file',
        code: 'too_large',
        params: { limit: 'parseSeconds' },
        message: `${message} (limit parseSeconds)`,
      },
    ]);
  }
  if (outcome.reason === 'out_of_memory') {
    const message = `The IATI file is too big to read within ${IATI_PARSE_HEAP_MB} MB: split it into smaller files`;
    throw DomainException.payloadTooLarge(message, [
      { path: 'file', code: 'too_large', params: { limit: 'parseMemory' }, message: `${message} (limit parseMemory)` },
    ]);
  }
  // Any parser refusal (malformed XML, external entities, not IATI) is the file's fault, not ours.
  throw DomainException.badRequest(
    ErrorCode.FILE_UNREADABLE,
    `The file is not a readable IATI activities document: ${outcome.message}`,
  );
}
