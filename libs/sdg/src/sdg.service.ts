import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainException } from '#libs/common';
import { type SdgGoalEntity, type SdgIndicatorEntity, type SdgTargetEntity, TransactionRunner } from '#libs/database';
import { normaliseSdgCode, sdgCodeKind } from './sdg-code.js';
import { readSdgFramework, type SdgFrameworkFile } from './sdg-framework.js';
import { type SdgCounts, type SdgFound, type SdgGoalWithCount, SdgRepository } from './sdg.repository.js';

/** Counts after a load: goals, targets, indicator listings (codes) and distinct indicators. */
export type SdgLoadResult = SdgCounts;

/** Search hits, each list at most `limit` long, codes in official order. */
export type SdgSearchResult = SdgFound;

/**
 * The UN SDG framework as reference data: idempotent loading and reads.
 * Repeated indicators (listed under several targets, e.g. 1.5.1 = 11.5.1 = 13.1.1) are stored as one
 * row per listing, each with `primaryCode` = the first listing's code (see docs/RULES.md).
 */
@Injectable()
export class SdgService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repository: SdgRepository,
  ) {}

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
    await this.tx.run((manager) => this.repository.upsertFramework({ goals, targets, indicators }, manager));
    return this.counts();
  }

  /** Counts of goals, targets, indicator codes and distinct indicators in the database. */
  counts(manager?: EntityManager): Promise<SdgLoadResult> {
    return this.repository.counts(manager);
  }

  /** All goals in order, each with its number of targets. */
  listGoals(): Promise<SdgGoalWithCount[]> {
    return this.repository.goalsWithTargetCounts();
  }

  /** A goal with its targets. @throws DomainException not_found */
  async getGoal(rawCode: string): Promise<{ goal: SdgGoalEntity; targets: SdgTargetEntity[] }> {
    const code = normaliseSdgCode(rawCode);
    const goal = sdgCodeKind(code) === 'goal' ? await this.repository.goal(code) : null;
    if (!goal) throw DomainException.notFound(`SDG goal '${rawCode}'`);
    const targets = await this.repository.targetsOfGoal(code);
    return { goal, targets };
  }

  /** A target (`16.4`, `1.A` accepted as `1.a`) with its indicators. @throws DomainException not_found */
  async getTarget(rawCode: string): Promise<{ target: SdgTargetEntity; indicators: SdgIndicatorEntity[] }> {
    const code = normaliseSdgCode(rawCode);
    const target = sdgCodeKind(code) === 'target' ? await this.repository.target(code) : null;
    if (!target) throw DomainException.notFound(`SDG target '${rawCode}'`);
    const indicators = await this.repository.indicatorsOfTarget(code);
    return { target, indicators };
  }

  /** An indicator listing with every code it is also listed as. @throws DomainException not_found */
  async getIndicator(rawCode: string): Promise<{ indicator: SdgIndicatorEntity; alsoListedAs: string[] }> {
    const code = normaliseSdgCode(rawCode);
    const indicator = sdgCodeKind(code) === 'indicator' ? await this.repository.indicator(code) : null;
    if (!indicator) throw DomainException.notFound(`SDG indicator '${rawCode}'`);
    const siblings = await this.repository.listingsOf(indicator.primaryCode);
    return { indicator, alsoListedAs: siblings.map((s) => s.code).filter((c) => c !== code) };
  }

  /** Which of `codes` (normalised) exist as SDG targets. */
  existingTargetCodes(codes: string[], manager?: EntityManager): Promise<Set<string>> {
    return this.repository.existingTargetCodes(codes, manager);
  }

  /** Which of `codes` (normalised) exist as SDG indicator codes. */
  existingIndicatorCodes(codes: string[], manager?: EntityManager): Promise<Set<string>> {
    return this.repository.existingIndicatorCodes(codes, manager);
  }

  /** Every SDG target code and indicator code (no targets: the framework is not loaded). */
  async allCodes(): Promise<{ targetCodes: string[]; indicatorCodes: string[] }> {
    const [targetCodes, indicatorCodes] = await Promise.all([
      this.repository.allTargetCodes(),
      this.repository.allIndicatorCodes(),
    ]);
    return { targetCodes, indicatorCodes };
  }

  /**
   * Search by code (exact or prefix: `16.4` finds the target and its indicators) or by words
   * (every word must appear in the title, case-insensitive).
   */
  async search(query: string, limit = 50): Promise<SdgSearchResult> {
    const q = query.trim();
    const code = normaliseSdgCode(q);
    if (/^[0-9]+(\.[0-9a-z]*)*$/.test(code))
      return this.repository.findByCode(code, code.includes('.') ? `${code}%` : `${code}.%`, limit);
    const words = q
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => `%${w.replace(/[%_\\]/g, (c) => '\\' + c)}%`);
    if (words.length === 0) return { goals: [], targets: [], indicators: [] };
    return this.repository.findByWords(words, limit);
  }
}

/**
 * An SdgService on a DataSource, outside Nest's container (the CLI's scripts, benchmarks and tests
 * that load the framework before the application starts).
 */
export function sdgServiceOn(dataSource: DataSource): SdgService {
  return new SdgService(new TransactionRunner(dataSource), new SdgRepository(dataSource));
}
