import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException } from '#libs/common';
import { SdgGoalEntity, SdgIndicatorEntity, SdgTargetEntity } from '#libs/database';
import { normaliseSdgCode, sdgCodeKind } from './sdg-code.js';
import { readSdgFramework, type SdgFrameworkFile } from './sdg-framework.js';

/** Indicator listings with their target, in the framework's order (goal, target, indicator: 16.2.1 before 16.10.1). */
const INDICATOR_SELECT = `SELECT i.code, i.target_code AS "targetCode", i.title, i.unsd_code AS "unsdCode", i.primary_code AS "primaryCode", i.position FROM sdg_indicator i JOIN sdg_target t ON t.code = i.target_code`;
const INDICATOR_ORDER = 'ORDER BY t.goal_code::int, t.position, i.position';

/** Counts after a load: goals, targets, indicator listings (codes) and distinct indicators. */
export interface SdgLoadResult {
  goals: number;
  targets: number;
  indicatorCodes: number;
  distinctIndicators: number;
}

/** Search hits, each list at most `limit` long, codes in official order. */
export interface SdgSearchResult {
  goals: SdgGoalEntity[];
  targets: SdgTargetEntity[];
  indicators: SdgIndicatorEntity[];
}

/**
 * The UN SDG framework as reference data: idempotent loading and reads.
 * Repeated indicators (listed under several targets, e.g. 1.5.1 = 11.5.1 = 13.1.1) are stored as one
 * row per listing, each with `primaryCode` = the first listing's code (see docs/RULES.md).
 */
@Injectable()
export class SdgService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Upserts the framework (17 goals, 169 targets, 251 indicator codes) in one transaction;
   * running it again changes nothing. Returns the counts now in the database.
   */
  async load(framework: SdgFrameworkFile = readSdgFramework()): Promise<SdgLoadResult> {
    const goals: Partial<SdgGoalEntity>[] = [];
    const targets: Partial<SdgTargetEntity>[] = [];
    const indicators: Partial<SdgIndicatorEntity>[] = [];
    const primaryByUnsd = new Map<string, string>();
    for (const goal of framework.goals) {
      goals.push({ code: goal.code, title: goal.title });
      goal.targets.forEach((target, targetIndex) => {
        targets.push({ code: target.code, goalCode: goal.code, title: target.title, position: targetIndex + 1 });
        target.indicators.forEach((indicator, indicatorIndex) => {
          const unsd = indicator.unsd_code ?? null;
          if (unsd && !primaryByUnsd.has(unsd)) primaryByUnsd.set(unsd, indicator.code);
          indicators.push({
            code: indicator.code,
            targetCode: target.code,
            title: indicator.title,
            unsdCode: unsd,
            primaryCode: unsd ? primaryByUnsd.get(unsd)! : indicator.code,
            position: indicatorIndex + 1,
          });
        });
      });
    }
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(SdgGoalEntity)
        .values(goals)
        .orUpdate(['title'], ['code'])
        .execute();
      await manager
        .createQueryBuilder()
        .insert()
        .into(SdgTargetEntity)
        .values(targets)
        .orUpdate(['goal_code', 'title', 'position'], ['code'])
        .execute();
      await manager
        .createQueryBuilder()
        .insert()
        .into(SdgIndicatorEntity)
        .values(indicators)
        .orUpdate(['target_code', 'title', 'unsd_code', 'primary_code', 'position'], ['code'])
        .execute();
    });
    return this.counts();
  }

  /** Counts of goals, targets, indicator codes and distinct indicators in the database. */
  async counts(manager: EntityManager = this.dataSource.manager): Promise<SdgLoadResult> {
    const [row] = await manager.query(`SELECT
      (SELECT count(*) FROM sdg_goal) AS goals,
      (SELECT count(*) FROM sdg_target) AS targets,
      (SELECT count(*) FROM sdg_indicator) AS indicator_codes,
      (SELECT count(DISTINCT primary_code) FROM sdg_indicator) AS distinct_indicators`);
    return {
      goals: row.goals,
      targets: row.targets,
      indicatorCodes: row.indicator_codes,
      distinctIndicators: row.distinct_indicators,
    };
  }

  /** All goals in order, each with its number of targets. */
  async listGoals(): Promise<(SdgGoalEntity & { targetCount: number })[]> {
    const rows: { code: string; title: string; target_count: number }[] = await this.dataSource.query(
      `SELECT g.code, g.title, count(t.code) AS target_count FROM sdg_goal g LEFT JOIN sdg_target t ON t.goal_code = g.code GROUP BY g.code, g.title ORDER BY g.code::int`,
    );
    return rows.map((r) => ({ code: r.code, title: r.title, targetCount: r.target_count }));
  }

  /** A goal with its targets. @throws DomainException not_found */
  async getGoal(rawCode: string): Promise<{ goal: SdgGoalEntity; targets: SdgTargetEntity[] }> {
    const code = normaliseSdgCode(rawCode);
    const goal =
      sdgCodeKind(code) === 'goal' ? await this.dataSource.getRepository(SdgGoalEntity).findOneBy({ code }) : null;
    if (!goal) throw DomainException.notFound(`SDG goal '${rawCode}'`);
    const targets = await this.dataSource
      .getRepository(SdgTargetEntity)
      .find({ where: { goalCode: code }, order: { position: 'ASC' } });
    return { goal, targets };
  }

  /** A target (`16.4`, `1.A` accepted as `1.a`) with its indicators. @throws DomainException not_found */
  async getTarget(rawCode: string): Promise<{ target: SdgTargetEntity; indicators: SdgIndicatorEntity[] }> {
    const code = normaliseSdgCode(rawCode);
    const target =
      sdgCodeKind(code) === 'target' ? await this.dataSource.getRepository(SdgTargetEntity).findOneBy({ code }) : null;
    if (!target) throw DomainException.notFound(`SDG target '${rawCode}'`);
    const indicators = await this.dataSource
      .getRepository(SdgIndicatorEntity)
      .find({ where: { targetCode: code }, order: { position: 'ASC' } });
    return { target, indicators };
  }

  /** An indicator listing with every code it is also listed as. @throws DomainException not_found */
  async getIndicator(rawCode: string): Promise<{ indicator: SdgIndicatorEntity; alsoListedAs: string[] }> {
    const code = normaliseSdgCode(rawCode);
    const repo = this.dataSource.getRepository(SdgIndicatorEntity);
    const indicator = sdgCodeKind(code) === 'indicator' ? await repo.findOneBy({ code }) : null;
    if (!indicator) throw DomainException.notFound(`SDG indicator '${rawCode}'`);
    const siblings = await repo.find({ where: { primaryCode: indicator.primaryCode }, order: { code: 'ASC' } });
    return { indicator, alsoListedAs: siblings.map((s) => s.code).filter((c) => c !== code) };
  }

  /** Which of `codes` (normalised) exist as SDG targets. */
  async existingTargetCodes(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_target WHERE code = ANY($1)`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  /** Which of `codes` (normalised) exist as SDG indicator codes. */
  async existingIndicatorCodes(
    codes: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_indicator WHERE code = ANY($1)`, [
      codes,
    ]);
    return new Set(rows.map((r) => r.code));
  }

  /**
   * Search by code (exact or prefix: `16.4` finds the target and its indicators) or by words
   * (every word must appear in the title, case-insensitive).
   */
  async search(query: string, limit = 50): Promise<SdgSearchResult> {
    const q = query.trim();
    const code = normaliseSdgCode(q);
    if (/^[0-9]+(\.[0-9a-z]*)*$/.test(code)) {
      const like = `${code}%`;
      const [goals, targets, indicators] = await Promise.all([
        this.dataSource.query(`SELECT code, title FROM sdg_goal WHERE code = $1`, [code]),
        this.dataSource.query(
          `SELECT code, goal_code AS "goalCode", title, position FROM sdg_target WHERE code = $1 OR code LIKE $2 ORDER BY goal_code::int, position LIMIT $3`,
          [code, code.includes('.') ? like : `${code}.%`, limit],
        ),
        this.dataSource.query(`${INDICATOR_SELECT} WHERE i.code = $1 OR i.code LIKE $2 ${INDICATOR_ORDER} LIMIT $3`, [
          code,
          `${code}.%`,
          limit,
        ]),
      ]);
      return { goals, targets, indicators };
    }
    const words = q
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => `%${w.replace(/[%_\\]/g, (c) => '\\' + c)}%`);
    if (words.length === 0) return { goals: [], targets: [], indicators: [] };
    const where = words.map((_, i) => `title ILIKE $${i + 1}`).join(' AND ');
    const [goals, targets, indicators] = await Promise.all([
      this.dataSource.query(`SELECT code, title FROM sdg_goal WHERE ${where} ORDER BY code::int LIMIT ${limit}`, words),
      this.dataSource.query(
        `SELECT code, goal_code AS "goalCode", title, position FROM sdg_target WHERE ${where} ORDER BY goal_code::int, position LIMIT ${limit}`,
        words,
      ),
      this.dataSource.query(
        `${INDICATOR_SELECT} WHERE ${where.replaceAll('title', 'i.title')} ${INDICATOR_ORDER} LIMIT ${limit}`,
        words,
      ),
    ]);
    return { goals, targets, indicators };
  }
}
