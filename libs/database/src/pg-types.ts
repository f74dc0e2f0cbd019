import pg from 'pg';

const DATE_OID = 1082;
const INT8_OID = 20;

/**
 * Makes `pg` return `date` columns as the calendar-date string it received (`'2026-10-01'`)
 * instead of a local-midnight `Date`, so Q4 2026 is 2026-10-01..2026-12-31 in every server
 * time zone; `bigint` (count(*)) comes back as a JS number (safe below 2^53, which counts are).
 * Idempotent; called by the DataSource module before any connection.
 */
export function installPgTypeParsers(): void {
  pg.types.setTypeParser(DATE_OID, (value: string) => value);
  pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));
}
