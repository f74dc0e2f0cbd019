import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import {
  ActualDisaggregationEntity,
  ActualEntity,
  AssumptionEntity,
  DonorEntity,
  FundingAgreementEntity,
  ImportRunEntity,
  IndicatorEntity,
  IndicatorSeriesEntity,
  LogframeRevisionEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetDisaggregationEntity,
  PeriodTargetEntity,
  ProjectEntity,
  SdgLinkEntity,
} from '#libs/database';

/** What a revision holds that an import matches against: its results chain, period targets and actuals. */
export interface RevisionContent {
  outcomes: OutcomeEntity[];
  outputs: OutputEntity[];
  indicators: IndicatorEntity[];
  periodTargets: PeriodTargetEntity[];
  actuals: ActualEntity[];
}

/** One disaggregated value (target or actual) as an import stores it. */
export interface ImportedDimensionValue {
  dimension: string;
  category: string;
  value: string | null;
}

/** The columns of an assumption or risk an import writes. */
export type AssumptionValues = Pick<
  AssumptionEntity,
  'outcomeId' | 'outputId' | 'kind' | 'statement' | 'likelihood' | 'impact' | 'mitigation'
>;

/** A savepoint name as written into SQL: lower-case letters and underscores only. */
function savepointName(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Invalid savepoint name '${name}'`);
  return name;
}

/**
 * Advisory lock space (first key of the two-int form) of the rows an import may create (projects by
 * iati-identifier, donors by IATI organisation identifier, org units by code); the second key is the
 * key's bucket. No other lock of the product uses the two-int form.
 */
export const IATI_IMPORT_LOCK_SPACE = 20_371;

/**
 * Buckets the keys are hashed into: an import holds at most this many advisory locks (each takes a
 * slot of PostgreSQL's shared lock table, 64 x max_connections by default), whatever the file's size.
 * Two files sharing a bucket but no key only wait for each other.
 */
export const IATI_IMPORT_LOCK_BUCKETS = 1024;

/** What an import locks before it writes: the keys of the projects, donors and org units it may create. */
export interface ImportLockKeys {
  /** iati-identifiers of the projects the import may create or change (always locked). */
  identifiers: string[];
  /** IATI organisation identifiers of the donors it links (locked when no donor has them yet). */
  donorRefs: string[];
  /** Codes of the org units it derives (locked when no org unit has them yet). */
  orgUnitCodes: string[];
}

/**
 * The writes of an IATI import (DESIGN.md §7), in the import's transaction: projects, funding, the
 * draft revision's results chain, period targets, actuals, SDG links and assumptions matched by the
 * import, and the import run. Savepoints let one activity roll back alone.
 */
@Injectable()
export class IatiImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens a savepoint `name` (lower-case letters and underscores) in the caller's transaction. */
  async savepoint(name: string, manager: EntityManager): Promise<void> {
    await manager.query(`SAVEPOINT ${savepointName(name)}`);
  }

  /** Releases savepoint `name` (its changes stay in the transaction). */
  async releaseSavepoint(name: string, manager: EntityManager): Promise<void> {
    await manager.query(`RELEASE SAVEPOINT ${savepointName(name)}`);
  }

  /** Rolls back to savepoint `name`: what was written since it is undone, the transaction goes on. */
  async rollbackToSavepoint(name: string, manager: EntityManager): Promise<void> {
    await manager.query(`ROLLBACK TO SAVEPOINT ${savepointName(name)}`);
  }

  /**
   * Waits for the transaction-scoped advisory locks of the rows an import may create, all in one
   * statement and in one order (the buckets' own order), before the import writes anything: the
   * identifiers of its projects, and the donors and org units it would create (those no committed row
   * has yet; one that exists is only read and referenced, which waits for nobody). Two imports sharing
   * an identifier, or both creating a donor or org unit, run one after the other whatever the order of
   * their files: they never deadlock on the project rows or on the unique keys of donors and org units
   * they insert, and never meet on creating the same row. Keys are hashed with their kind
   * (`donor:`, `org_unit:`; identifiers as they are) into {@link IATI_IMPORT_LOCK_BUCKETS} buckets.
   */
  async lockImportKeys(keys: ImportLockKeys, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (keys.identifiers.length + keys.donorRefs.length + keys.orgUnitCodes.length === 0) return;
    await manager.query(
      `SELECT count(pg_advisory_xact_lock($4, b)) FROM (
         SELECT DISTINCT hashtext(k) & ($5 - 1) AS b FROM (
           SELECT k FROM unnest($1::text[]) AS k
           UNION ALL
           SELECT 'donor:' || r FROM unnest($2::text[]) AS r
            WHERE NOT EXISTS (SELECT 1 FROM donor d WHERE d.iati_org_ref = r)
           UNION ALL
           SELECT 'org_unit:' || c FROM unnest($3::text[]) AS c
            WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.code = c)
         ) AS keys(k) ORDER BY b) AS buckets`,
      [keys.identifiers, keys.donorRefs, keys.orgUnitCodes, IATI_IMPORT_LOCK_SPACE, IATI_IMPORT_LOCK_BUCKETS],
    );
  }

  /** The project with this IATI identifier, or null. */
  projectByIatiIdentifier(
    iatiIdentifier: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectEntity | null> {
    return manager.getRepository(ProjectEntity).findOneBy({ iatiIdentifier });
  }

  /** Inserts or updates a project; returns the saved row. */
  saveProject(
    project: Partial<ProjectEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectEntity> {
    const repo = manager.getRepository(ProjectEntity);
    return repo.save(project instanceof ProjectEntity ? project : repo.create(project));
  }

  /** The donor with this IATI organisation identifier, or null. */
  donorByRef(iatiOrgRef: string, manager: EntityManager = this.dataSource.manager): Promise<DonorEntity | null> {
    return manager.getRepository(DonorEntity).findOneBy({ iatiOrgRef });
  }

  /**
   * Creates a donor organisation unless one with its IATI organisation identifier exists (one created
   * meanwhile by another transaction is waited for and returned, never a unique violation).
   * @returns the donor and whether this call created it
   */
  async ensureDonor(
    donor: Pick<DonorEntity, 'iatiOrgRef' | 'name'> & { iatiOrgRef: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ donor: DonorEntity; created: boolean }> {
    const repo = manager.getRepository(DonorEntity);
    // ON CONFLICT DO NOTHING: the only unique key of a donor is its IATI organisation identifier.
    const inserted = await repo.createQueryBuilder().insert().values(donor).orIgnore().execute();
    return {
      donor: await repo.findOneByOrFail({ iatiOrgRef: donor.iatiOrgRef }),
      created: (inserted.raw as unknown[]).length > 0,
    };
  }

  /** Links a donor to a project as a funder (nothing when already linked). */
  async linkFunder(
    projectId: string,
    donorId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(FundingAgreementEntity)
      .createQueryBuilder()
      .insert()
      .values({ projectId, donorId })
      .orIgnore()
      .execute();
  }

  /** The project's latest logframe revision, or null. */
  latestRevision(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    return manager.getRepository(LogframeRevisionEntity).findOne({ where: { projectId }, order: { number: 'DESC' } });
  }

  /** Creates the project's first revision, a draft. */
  createFirstRevision(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity> {
    const repo = manager.getRepository(LogframeRevisionEntity);
    return repo.save(repo.create({ projectId, number: 1, status: 'draft' }));
  }

  /** A revision's outcomes, outputs and indicators, their period targets and the actuals of their series. */
  async revisionContent(
    revisionId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RevisionContent> {
    const outcomes = await manager.getRepository(OutcomeEntity).findBy({ revisionId });
    const outputs = await manager.getRepository(OutputEntity).findBy({ revisionId });
    const indicators = await manager.getRepository(IndicatorEntity).findBy({ revisionId });
    const periodTargets = indicators.length
      ? await manager.getRepository(PeriodTargetEntity).findBy({ indicatorId: In(indicators.map((i) => i.id)) })
      : [];
    const actuals = indicators.length
      ? await manager.getRepository(ActualEntity).findBy({ indicatorSeriesId: In(indicators.map((i) => i.stableId)) })
      : [];
    return { outcomes, outputs, indicators, periodTargets, actuals };
  }

  /** Inserts or updates an outcome or output; returns the saved row. */
  saveElement<T extends OutcomeEntity | OutputEntity>(
    entity: new () => T,
    element: Partial<T>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<T> {
    const repo = manager.getRepository(entity);
    return repo.save(element instanceof entity ? element : repo.create(element as T));
  }

  /** Whether an indicator series has this id. */
  seriesExists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(IndicatorSeriesEntity).existsBy({ id });
  }

  /** Creates an indicator series (the indicator's identity across revisions) of a project. */
  async createSeries(id: string, projectId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(IndicatorSeriesEntity).insert({ id, projectId });
  }

  /** Inserts or updates an indicator; returns the saved row. */
  saveIndicator(
    indicator: Partial<IndicatorEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IndicatorEntity> {
    const repo = manager.getRepository(IndicatorEntity);
    return repo.save(indicator instanceof IndicatorEntity ? indicator : repo.create(indicator));
  }

  /** Inserts or updates a period target; returns the saved row. */
  savePeriodTarget(
    target: Partial<PeriodTargetEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PeriodTargetEntity> {
    const repo = manager.getRepository(PeriodTargetEntity);
    return repo.save(target instanceof PeriodTargetEntity ? target : repo.create(target));
  }

  /** Stores the disaggregated values of a period target. */
  async insertTargetDisaggregations(
    periodTargetId: string,
    values: ImportedDimensionValue[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(PeriodTargetDisaggregationEntity)
      .insert(values.map((v) => ({ periodTargetId, ...v, numerator: null, denominator: null })));
  }

  /** Inserts or updates an actual; returns the saved row. */
  saveActual(actual: Partial<ActualEntity>, manager: EntityManager = this.dataSource.manager): Promise<ActualEntity> {
    const repo = manager.getRepository(ActualEntity);
    return repo.save(actual instanceof ActualEntity ? actual : repo.create(actual));
  }

  /** Stores the disaggregated values of an actual. */
  async insertActualDisaggregations(
    actualId: string,
    values: ImportedDimensionValue[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(ActualDisaggregationEntity)
      .insert(values.map((v) => ({ actualId, ...v, numerator: null, denominator: null })));
  }

  /** A revision's SDG links. */
  sdgLinksOf(revisionId: string, manager: EntityManager = this.dataSource.manager): Promise<SdgLinkEntity[]> {
    return manager.getRepository(SdgLinkEntity).findBy({ revisionId });
  }

  /** Stores an SDG link. */
  async insertSdgLink(
    link: Pick<
      SdgLinkEntity,
      'revisionId' | 'outcomeId' | 'outputId' | 'sdgTargetCode' | 'contribution' | 'rationale' | 'source'
    >,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(SdgLinkEntity).insert(link);
  }

  /** Changes an SDG link's contribution and rationale. */
  async updateSdgLink(
    id: string,
    values: Pick<SdgLinkEntity, 'contribution' | 'rationale'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(SdgLinkEntity).update({ id }, values);
  }

  /** A revision's assumptions and risks. */
  assumptionsOf(revisionId: string, manager: EntityManager = this.dataSource.manager): Promise<AssumptionEntity[]> {
    return manager.getRepository(AssumptionEntity).findBy({ revisionId });
  }

  /** Stores an assumption or risk. */
  async insertAssumption(
    assumption: AssumptionValues & Pick<AssumptionEntity, 'revisionId' | 'stableId' | 'position'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(AssumptionEntity).insert(assumption);
  }

  /** Changes an assumption or risk. */
  async updateAssumption(
    id: string,
    values: AssumptionValues,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(AssumptionEntity).update({ id }, values);
  }

  /**
   * Records an import run; returns its id. Inserted, not saved: save deep-merges the (large) summary
   * and issues into a new entity first, hundreds of ms of the event loop for a file of thousands of
   * activities.
   */
  async insertImportRun(
    run: Pick<ImportRunEntity, 'sourceName' | 'sourceSha256' | 'format' | 'orgUnitId' | 'importedById'> & {
      summary: object;
      issues: object[];
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    const inserted = await manager.getRepository(ImportRunEntity).insert(run);
    return (inserted.identifiers[0] as { id: string }).id;
  }
}
