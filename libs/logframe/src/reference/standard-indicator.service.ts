import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type Measure, type StandardIndicatorEntity, TransactionRunner } from '#libs/database';
import {
  saveAudited,
  differs,
  type ReferencePageRequest,
  type ReferencePage,
  pick,
  requireAdmin,
  staleVersion,
} from './reference-support.js';
import { AuditEventRepository } from '../audit-event.repository.js';
import {
  type StandardIndicatorFilter,
  StandardIndicatorRepository,
  type StandardIndicatorSort,
} from './standard-indicator.repository.js';

/** A new standard indicator. `unit` is required for quantitative measures (number, percentage). */
export interface StandardIndicatorInput {
  code: string;
  title: string;
  definition: string;
  measure: Measure;
  unit?: string | null;
}

/** Changes (any field, `isActive: false` deactivates) and the `version` the caller read. */
export interface StandardIndicatorChanges extends Partial<StandardIndicatorInput> {
  version: number;
  isActive?: boolean;
}

const AUDITED = ['code', 'title', 'definition', 'measure', 'unit', 'isActive'] as const;
const QUANTITATIVE: Measure[] = ['number', 'percentage'];

/**
 * The organisation's standard (corporate) indicator library (DESIGN.md §2): project indicators map
 * to it, and roll-ups combine values only across indicators mapped to the same standard indicator
 * (DESIGN.md §5). Everyone signed in reads it; admins manage it.
 *
 * Rules: codes are unique ignoring case; `unit` is required for number and percentage measures;
 * once any logframe indicator maps to a standard indicator its `measure` and `unit` are fixed (a
 * roll-up would otherwise add values of different kinds): deactivate it and add a new one.
 * Deactivated indicators stay readable and keep their mappings.
 */
@Injectable()
export class StandardIndicatorService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditEventRepository,
    private readonly library: StandardIndicatorRepository,
  ) {}

  /** A page of the library, filtered by `q` (code or title), `measure` and `isActive`. */
  list(
    filter: StandardIndicatorFilter,
    request: ReferencePageRequest<StandardIndicatorSort>,
  ): Promise<ReferencePage<StandardIndicatorEntity>> {
    return this.library.page(filter, request);
  }

  /** @throws DomainException not_found */
  async get(id: string): Promise<StandardIndicatorEntity> {
    const row = await this.library.find(id);
    if (!row) throw DomainException.notFound('Standard indicator');
    return row;
  }

  /**
   * Adds a standard indicator, active (audit `standard_indicator.create`).
   * @throws DomainException forbidden (not admin), conflict (field `code`), bad_request (field `unit` missing for a quantitative measure)
   */
  async create(user: AuthUser, input: StandardIndicatorInput): Promise<StandardIndicatorEntity> {
    requireAdmin(user, 'the standard indicator library');
    const values = {
      code: input.code.trim(),
      title: input.title.trim(),
      definition: input.definition.trim(),
      measure: input.measure,
      unit: input.unit?.trim() || null,
      isActive: true,
    };
    this.assertUnit(values.measure, values.unit);
    return this.tx.run(async (m) => {
      await this.assertCodeFree(m, values.code);
      return saveAudited(
        this.audit,
        m,
        { actorId: user.id, action: 'standard_indicator.create', entityType: 'standard_indicator', fields: AUDITED },
        () => this.library.save(values, m),
        () => this.codeTaken(values.code),
      );
    });
  }

  /**
   * Changes or deactivates a standard indicator; `version` must be the current one. A call that
   * changes nothing returns it unchanged; otherwise audit `standard_indicator.update` with before/after.
   * @throws DomainException forbidden, not_found, conflict (stale version; code taken), bad_request (unit)
   * @throws DomainException unprocessable (field `measure` or `unit`) when indicators already map to it
   */
  async update(user: AuthUser, id: string, changes: StandardIndicatorChanges): Promise<StandardIndicatorEntity> {
    requireAdmin(user, 'the standard indicator library');
    return this.tx.run(async (m) => {
      const row = await this.library.lock(id, m);
      if (!row) throw DomainException.notFound('Standard indicator');
      if (row.version !== changes.version) throw staleVersion('Standard indicator', row.version, changes.version);
      const next: Partial<StandardIndicatorEntity> = {
        code: changes.code?.trim(),
        title: changes.title?.trim(),
        definition: changes.definition?.trim(),
        measure: changes.measure,
        unit: changes.unit === undefined ? undefined : changes.unit?.trim() || null,
        isActive: changes.isActive,
      };
      if (!differs(row, next, [...AUDITED])) return row;
      const seriesChange = (['measure', 'unit'] as const).filter((k) => next[k] !== undefined && next[k] !== row[k]);
      if (seriesChange.length && (await this.library.countMapped(id, m)) > 0) {
        throw DomainException.unprocessable(
          ErrorCode.RULE_VIOLATED,
          'Indicators already map to this standard indicator, so its measure and unit cannot change; deactivate it and add a new one',
          seriesChange.map((path) => ({
            path,
            code: 'cannot_change' as const,
            params: {},
            message: `${path} cannot change once indicators map to this standard indicator`,
          })),
        );
      }
      if (next.code !== undefined && next.code !== row.code) await this.assertCodeFree(m, next.code, id);
      const before = pick(row, AUDITED);
      for (const key of AUDITED) if (next[key] !== undefined) Object.assign(row, { [key]: next[key] });
      this.assertUnit(row.measure, row.unit);
      return saveAudited(
        this.audit,
        m,
        {
          actorId: user.id,
          action: 'standard_indicator.update',
          entityType: 'standard_indicator',
          fields: AUDITED,
          before,
        },
        () => this.library.save(row, m),
        () => this.codeTaken(row.code),
      );
    });
  }

  private assertUnit(measure: Measure, unit: string | null): void {
    if (QUANTITATIVE.includes(measure) && !unit) {
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'The request has invalid fields', [
        {
          path: 'unit',
          code: 'required',
          params: { measure },
          message: `unit is required for ${measure} indicators (e.g. people, %)`,
        },
      ]);
    }
  }

  private async assertCodeFree(m: EntityManager, code: string, exceptId?: string): Promise<void> {
    const other = await this.library.findByCode(code, exceptId, m);
    if (other) throw this.codeTaken(code, other.code);
  }

  private codeTaken(code: string, existing = code): DomainException {
    return DomainException.conflict(
      ErrorCode.DUPLICATE,
      `Standard indicator code '${code}' is already used${existing !== code ? ` (by '${existing}')` : ''}`,
      [{ path: 'code', code: 'already_used', params: {}, message: 'is already used' }],
    );
  }
}
