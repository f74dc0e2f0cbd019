import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '#libs/database';
import type { AuditEventRepository } from '../audit-event.repository.js';

export type SortDirection = 'ASC' | 'DESC';

/** A page request of a list: 1-based `page`, `pageSize` rows (1–500), a sort field of that list and its direction. */
export interface ReferencePageRequest<F extends string> {
  page: number;
  pageSize: number;
  sort: F;
  direction: SortDirection;
}

/** A page of a list: the rows of the page, the total count in the caller's scope (all pages), and the page asked for. */
export interface ReferencePage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Orders `qb` by `column` in the requested direction (missing values last), then by each tie-breaker
 * ascending (so pages are stable), and cuts the requested page.
 */
export function orderAndPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  request: ReferencePageRequest<string>,
  tieBreakers: string[],
): SelectQueryBuilder<T> {
  qb.orderBy(column, request.direction, 'NULLS LAST');
  // TypeORM keys ORDER BY by column: a tie-breaker equal to the sort column would replace its direction.
  for (const tie of tieBreakers) if (tie !== column) qb.addOrderBy(tie, 'ASC');
  return qb.offset((request.page - 1) * request.pageSize).limit(request.pageSize);
}

/** An ILIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
}

/** Org units the caller covers as project manager or RBM focal point (each with the units below it). */
export function coveredUnits(user: AuthUser): string[] {
  return [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])];
}

/**
 * 404 for a record named in the request body that does not exist or is outside the caller's scope
 * (the two are not told apart), with the field that named it.
 */
export function notFoundField(what: string, path: string): DomainException {
  return DomainException.notFound(what, [
    {
      path,
      code: 'not_found',
      params: { entity: what.toLowerCase() },
      message: `no ${what.toLowerCase()} with this id in your scope`,
    },
  ]);
}

/** 409 for an update made on a stale `version`. */
export function staleVersion(what: string, current: number, yours: number): DomainException {
  return DomainException.staleVersion(
    `${what} was changed by someone else (version ${current}, yours ${yours}); reload and try again`,
    current,
    yours,
    [
      {
        path: 'version',
        code: 'stale_version',
        params: { current, yours },
        message: `is stale (current version ${current})`,
      },
    ],
  );
}

/**
 * Runs `work` (an insert or update) and turns a unique violation that a concurrent request slipped
 * past the friendly check into the given 409.
 */
export async function conflictOnDuplicate<T>(work: () => Promise<T>, conflict: () => DomainException): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict();
    throw error;
  }
}

/** The audit event of a reference row's save: who, which action on which entity type, which fields. */
export interface ReferenceAudit<T, K extends keyof T> {
  actorId: string;
  /** e.g. `donor.create`, `programme.update` */
  action: string;
  entityType: string;
  /** The audited fields: recorded `before` (updates) and after the save. */
  fields: readonly K[];
  /** The audited fields before an update (omit on create). */
  before?: Pick<T, K>;
}

/**
 * Saves a reference row (create or update) and records its audit event in the same transaction `m`:
 * `save` runs under {@link conflictOnDuplicate}, so a unique violation a concurrent request slipped
 * past the friendly check answers `taken()` (a 409); the event carries the audited fields before (updates)
 * and as saved.
 * @returns the saved row
 */
export async function saveAudited<T extends { id: string }, K extends keyof T>(
  audit: AuditEventRepository,
  m: EntityManager,
  event: ReferenceAudit<T, K>,
  save: () => Promise<T>,
  taken: () => DomainException,
): Promise<T> {
  const saved = await conflictOnDuplicate(save, taken);
  await audit.record(
    {
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: saved.id,
      ...(event.before !== undefined ? { before: event.before } : {}),
      after: pick(saved, event.fields),
    },
    m,
  );
  return saved;
}

/**
 * A date range must not end before it starts (`YYYY-MM-DD` strings compare in calendar order).
 * @throws DomainException bad_request with path `endDate`
 */
export function assertDateOrder(startDate: string | null, endDate: string | null): void {
  if (startDate && endDate && endDate < startDate) {
    throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'The request has invalid fields', [
      {
        path: 'endDate',
        code: 'date_order',
        params: { start: startDate },
        message: `endDate must be on or after startDate (${startDate})`,
      },
    ]);
  }
}

/** Only admins may manage this reference data (the route guard checks it too). @throws DomainException forbidden */
export function requireAdmin(user: AuthUser, what: string): void {
  if (!user.scope.isAdmin) throw DomainException.forbidden(ErrorCode.FORBIDDEN, `Only an admin may change ${what}`);
}

/** Whether `changes` sets any of `keys` to a value different from `current`. */
export function differs<T extends object>(current: T, changes: Partial<T>, keys: (keyof T)[]): boolean {
  return keys.some((k) => changes[k] !== undefined && changes[k] !== current[k]);
}

/** Picks `keys` of `row` (audit before/after snapshots). */
export function pick<T extends object, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
}
