import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SdgGoalEntity, SdgIndicatorEntity, SdgTargetEntity } from '#libs/database';

/** Counts of the framework in the database: goals, targets, indicator listings (codes) and distinct indicators. */
export interface SdgCounts {
  goals: number;
  targets: number;
  indicatorCodes: number;
  distinctIndicators: number;
}

/** A goal with its number of targets. */
export type SdgGoalWithCount = SdgGoalEntity & { targetCount: number };

/** Goals, targets and indicator listings found by a search, each list in the framework's order. */
export interface SdgFound {
  goals: SdgGoalEntity[];
  targets: SdgTargetEntity[];
  indicators: SdgIndicatorEntity[];
}

interface CountsRow {
  goals: number;
  targets: number;
  indicator_codes: number;
  distinct_indicators: number;
}

const toCounts = (row: CountsRow): SdgCounts => ({
  goals: Number(row.goals),
  targets: Number(row.targets),
  indicatorCodes: Number(row.indicator_codes),
  distinctIndicators: Number(row.distinct_indicators),
});

interface GoalCountRow {
  code: string;
  title: string;
  target_count: number;
}

const toGoalWithCount = (row: GoalCountRow): SdgGoalWithCount => ({
  code: row.code,
  title: row.title,
  targetCount: Number(row.target_count),
});

interface GoalRow {
  code: string;
  title: string;
}

const toGoal = (row: GoalRow): SdgGoalEntity => ({ code: row.code, title: row.title });

interface TargetRow {
  code: string;
  goal_code: string;
  title: string;
  position: number;
}

const toTarget = (row: TargetRow): SdgTargetEntity => ({
  code: row.code,
  goalCode: row.goal_code,
  title: row.title,
  position: row.position,
});

interface IndicatorRow {
  code: string;
  target_code: string;
  title: string;
  unsd_code: string | null;
  primary_code: string;
  position: number;
}

const toIndicator = (row: IndicatorRow): SdgIndicatorEntity => ({
  code: row.code,
  targetCode: row.target_code,
  title: row.title,
  unsdCode: row.unsd_code,
  primaryCode: row.primary_code,
  position: row.position,
});

const TARGET_SELECT = `SELECT code, goal_code, title, position FROM sdg_target`;
/** Indicator listings with their target, in the framework's order (goal, target, indicator: 16.2.1 before 16.10.1). */
const INDICATOR_SELECT = `SELECT i.code, i.target_code, i.title, i.unsd_code, i.primary_code, i.position FROM sdg_indicator i JOIN sdg_target t ON t.code = i.target_code`;
const INDICATOR_ORDER = 'ORDER BY t.goal_code::int, t.position, i.position';

/** The `sdg_goal`, `sdg_target` and `sdg_indicator` tables: the UN SDG framework as reference data. */
@Injectable()
export class SdgRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts or updates goals, targets and indicator listings by code (running it again changes nothing). */
  async upsertFramework(
    framework: {
      goals: Partial<SdgGoalEntity>[];
      targets: Partial<SdgTargetEntity>[];
      indicators: Partial<SdgIndicatorEntity>[];
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const upsert = (entity: typeof SdgGoalEntity | typeof SdgTargetEntity | typeof SdgIndicatorEntity) =>
      manager.createQueryBuilder().insert().into(entity);
    await upsert(SdgGoalEntity).values(framework.goals).orUpdate(['title'], ['code']).execute();
    await upsert(SdgTargetEntity)
      .values(framework.targets)
      .orUpdate(['goal_code', 'title', 'position'], ['code'])
      .execute();
    await upsert(SdgIndicatorEntity)
      .values(framework.indicators)
      .orUpdate(['target_code', 'title', 'unsd_code', 'primary_code', 'position'], ['code'])
      .execute();
  }

  /** Counts of goals, targets, indicator codes and distinct indicators. */
  async counts(manager: EntityManager = this.dataSource.manager): Promise<SdgCounts> {
    const rows: CountsRow[] = await manager.query(`SELECT
      (SELECT count(*) FROM sdg_goal) AS goals,
      (SELECT count(*) FROM sdg_target) AS targets,
      (SELECT count(*) FROM sdg_indicator) AS indicator_codes,
      (SELECT count(DISTINCT primary_code) FROM sdg_indicator) AS distinct_indicators`);
    return toCounts(rows[0]);
  }

  /** All goals in order, each with its number of targets. */
  async goalsWithTargetCounts(manager: EntityManager = this.dataSource.manager): Promise<SdgGoalWithCount[]> {
    const rows: GoalCountRow[] = await manager.query(
      `SELECT g.code, g.title, count(t.code) AS target_count FROM sdg_goal g LEFT JOIN sdg_target t ON t.goal_code = g.code GROUP BY g.code, g.title ORDER BY g.code::int`,
    );
    return rows.map(toGoalWithCount);
  }

  /** The goal with this code, or null. */
  goal(code: string, manager: EntityManager = this.dataSource.manager): Promise<SdgGoalEntity | null> {
    return manager.getRepository(SdgGoalEntity).findOneBy({ code });
  }

  /** The targets of a goal in order. */
  targetsOfGoal(goalCode: string, manager: EntityManager = this.dataSource.manager): Promise<SdgTargetEntity[]> {
    return manager.getRepository(SdgTargetEntity).find({ where: { goalCode }, order: { position: 'ASC' } });
  }

  /** The target with this code, or null. */
  target(code: string, manager: EntityManager = this.dataSource.manager): Promise<SdgTargetEntity | null> {
    return manager.getRepository(SdgTargetEntity).findOneBy({ code });
  }

  /** The indicator listings of a target in order. */
  indicatorsOfTarget(
    targetCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SdgIndicatorEntity[]> {
    return manager.getRepository(SdgIndicatorEntity).find({ where: { targetCode }, order: { position: 'ASC' } });
  }

  /** The indicator listing with this code, or null. */
  indicator(code: string, manager: EntityManager = this.dataSource.manager): Promise<SdgIndicatorEntity | null> {
    return manager.getRepository(SdgIndicatorEntity).findOneBy({ code });
  }

  /** Every listing of one indicator (same primary code), by code. */
  listingsOf(primaryCode: string, manager: EntityManager = this.dataSource.manager): Promise<SdgIndicatorEntity[]> {
    return manager.getRepository(SdgIndicatorEntity).find({ where: { primaryCode }, order: { code: 'ASC' } });
  }

  /** Every target code (empty: the framework is not loaded). */
  async allTargetCodes(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_target`);
    return rows.map((r) => String(r.code));
  }

  /** Every indicator code. */
  async allIndicatorCodes(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_indicator`);
    return rows.map((r) => String(r.code));
  }

  /** Which of `codes` exist as target codes. */
  async existingTargetCodes(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_target WHERE code = ANY($1)`, [codes]);
    return new Set(rows.map((r) => String(r.code)));
  }

  /** Which of `codes` exist as indicator codes. */
  async existingIndicatorCodes(
    codes: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: { code: string }[] = await manager.query(`SELECT code FROM sdg_indicator WHERE code = ANY($1)`, [
      codes,
    ]);
    return new Set(rows.map((r) => String(r.code)));
  }

  /**
   * Goals with this exact code, targets with this code or starting with `targetPattern` (a LIKE
   * pattern), indicator listings with this code or under it, each at most `limit`.
   */
  async findByCode(code: string, targetPattern: string, limit: number): Promise<SdgFound> {
    const [goals, targets, indicators] = await Promise.all([
      this.dataSource.query(`SELECT code, title FROM sdg_goal WHERE code = $1`, [code]) as Promise<GoalRow[]>,
      this.dataSource.query(
        `${TARGET_SELECT} WHERE code = $1 OR code LIKE $2 ORDER BY goal_code::int, position LIMIT $3`,
        [code, targetPattern, limit],
      ) as Promise<TargetRow[]>,
      this.dataSource.query(`${INDICATOR_SELECT} WHERE i.code = $1 OR i.code LIKE $2 ${INDICATOR_ORDER} LIMIT $3`, [
        code,
        `${code}.%`,
        limit,
      ]) as Promise<IndicatorRow[]>,
    ]);
    return { goals: goals.map(toGoal), targets: targets.map(toTarget), indicators: indicators.map(toIndicator) };
  }

  /** Goals, targets and indicator listings whose title matches every ILIKE pattern of `patterns`, each at most `limit`. */
  async findByWords(patterns: string[], limit: number): Promise<SdgFound> {
    const where = patterns.map((_, i) => `title ILIKE $${i + 1}`).join(' AND ');
    const [goals, targets, indicators] = await Promise.all([
      this.dataSource.query(
        `SELECT code, title FROM sdg_goal WHERE ${where} ORDER BY code::int LIMIT ${Number(limit)}`,
        patterns,
      ) as Promise<GoalRow[]>,
      this.dataSource.query(
        `${TARGET_SELECT} WHERE ${where} ORDER BY goal_code::int, position LIMIT ${Number(limit)}`,
        patterns,
      ) as Promise<TargetRow[]>,
      this.dataSource.query(
        `${INDICATOR_SELECT} WHERE ${where.replaceAll('title', 'i.title')} ${INDICATOR_ORDER} LIMIT ${Number(limit)}`,
        patterns,
      ) as Promise<IndicatorRow[]>,
    ]);
    return { goals: goals.map(toGoal), targets: targets.map(toTarget), indicators: indicators.map(toIndicator) };
  }
}
