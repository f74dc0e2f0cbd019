import { DomainException } from '#libs/common';

/**
 * 409 STALE_VERSION for a record (project, logframe revision) someone changed since the caller read
 * it: `message` says what changed and what to do; the one field error is `version`, code
 * `stale_version` with `{ current, yours }` ("is 3, current is 4").
 * @param current the version stored now
 * @param yours the version the caller sent
 */
export function staleVersionConflict(message: string, current: number, yours: number): DomainException {
  return DomainException.staleVersion(message, current, yours, [
    {
      path: 'version',
      code: 'stale_version',
      params: { current, yours },
      message: `is ${yours}, current is ${current}`,
    },
  ]);
}
