import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProgressNarrativeEntity, RbmSettingsEntity, ReportScope } from '#libs/database';
import { settingsInForce, settingsThresholds } from '#libs/database';
import { indicatorNodes, LogframeReader, type LogframeTree } from '#libs/logframe';
import { type ActualPartRow, type ActualRow, ProgressReadRepository, quarterValidation } from '#libs/progress';
import { quarterRange, type Thresholds } from '#libs/calculations';
import type { PortfolioFunding } from './portfolio-report.js';
import { toJsonNumber } from './project-report.js';

/** Everything a project report is computed from, read with a constant number of queries. */
export interface ProjectReportSource {
  tree: LogframeTree;
  /** Each indicator's actuals to date (by series id; plain rows in period order), series without actuals absent. */
  actualsBySeries: Map<string, ActualRow[]>;
  settings: RbmSettingsEntity;
  thresholds: Thresholds;
  quarterValidated: boolean;
  approvedByEmail: string | null;
  /** The quarter's workflow state, and whether it was reopened after validation (a restatement). */
  validation: { status: string; restated: boolean; reopenReason: string | null };
  /** The manager's rating per outcome (by stable id) and explanations of variance per indicator (by stable id). */
  outcomeRatings: Map<string, { rating: string; justification: string }>;
  varianceExplanations: Map<string, string>;
  /** The quarter's status update of each assumption/risk (by stable id). */
  assumptionUpdates: Map<string, { status: string; note: string | null }>;
  /** The quarter's narrative (null: none saved, or every text empty). */
  narrative: ReportNarrative | null;
  /** Disaggregated values of each actual used (by actual id). */
  disaggregationsByActual: Map<string, ActualPartRow[]>;
  /** People who acted, by display name and the role they acted in (null: nobody yet). */
  people: {
    approvedBy: PersonActing | null;
    submittedBy: PersonActing | null;
    validatedBy: PersonActing | null;
  };
}

/** A person as reports show them: display name and the role they acted in (e.g. `rbm_focal_point`). */
export interface PersonActing {
  displayName: string;
  role: string;
}

/** The quarterly narrative as reports carry it (agreed shape, issue 12). */
export interface ReportNarrative {
  progressSummary: string | null;
  challenges: string | null;
  lessonsLearned: string | null;
  nextQuarter: string | null;
}

/** The revision in force of a project as its report fingerprint names it (never its snapshot). */
export interface RevisionInForce {
  id: string;
  number: number;
  status: string;
  version: number;
  snapshotSha256: string | null;
}

/**
 * The version stamps of one project's report inputs for a quarter (docs/RULES.md, "Report
 * fingerprint"): the revision in force, and each stamp `[source, revision id, period, stamp]` the
 * quarter's content depends on (the project; the logframe of the revision in force; the actuals of
 * every quarter up to this one; this quarter's rows), and the settings version in force.
 */
export interface ProjectInputStamps {
  projectId: string;
  revision: RevisionInForce | null;
  stamps: [string, string, number, string][];
  settingsVersion: number;
}

interface InputStampRow {
  project_id: string;
  revision: { id: string; number: number; status: string; version: number; snapshot_sha256: string | null } | null;
  stamps: [string, string, number, string | number][] | null;
  settings_version: number;
}

/** Maps one row of {@link INPUT_STAMPS_SQL}. */
function toProjectInputStamps(row: InputStampRow): ProjectInputStamps {
  return {
    projectId: row.project_id,
    revision: row.revision
      ? {
          id: row.revision.id,
          number: row.revision.number,
          status: row.revision.status,
          version: row.revision.version,
          snapshotSha256: row.revision.snapshot_sha256,
        }
      : null,
    stamps: (row.stamps ?? []).map(([source, revisionId, period, stamp]) => [
      source,
      revisionId,
      period,
      String(stamp),
    ]),
    settingsVersion: row.settings_version,
  };
}

/**
 * One statement for the stamps of any number of projects: each project's revision in force (the latest
 * approved, else the latest; LATERAL over the `(project_id, number)` index, without the snapshot), its
 * stamps (`report_input_stamp`, maintained by triggers: migration 1765500000000) and the settings
 * version in force. `$2` is the quarter as `year * 10 + quarter`.
 */
export const INPUT_STAMPS_SQL = `SELECT p.id AS project_id,
       CASE WHEN v.id IS NULL THEN NULL ELSE json_build_object('id', v.id, 'number', v.number, 'status', v.status,
            'version', v.version, 'snapshot_sha256', v.snapshot_sha256) END AS revision,
       st.stamps, (SELECT max(version) FROM rbm_settings) AS settings_version
  FROM project p
  LEFT JOIN LATERAL (SELECT r.id, r.number, r.status, r.version, r.snapshot_sha256 FROM logframe_revision r
                      WHERE r.project_id = p.id ORDER BY (r.status = 'approved') DESC, r.number DESC LIMIT 1) v ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_array(s.source, s.revision_id, s.period, s.stamp::text)
                                     ORDER BY s.source, s.revision_id, s.period) AS stamps
                       FROM report_input_stamp s
                      WHERE s.project_id = p.id
                        AND (s.source = 'project' OR (s.source = 'logframe' AND s.revision_id = v.id)
                             OR (s.source = 'actuals' AND s.period <= $2) OR (s.source = 'quarter' AND s.period = $2))) st ON true
 WHERE p.id = ANY($1::uuid[])`;

/** A file-name-safe slug of a name: ASCII letters and digits, words joined by `-` (`Fonds Français` → `fonds-francais`). */
export function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'scope'
  );
}

/** A saved narrative as reports carry it: null when none is saved or every text is empty. */
function reportNarrative(saved: ProgressNarrativeEntity | null | undefined): ReportNarrative | null {
  if (!saved) return null;
  const narrative = {
    progressSummary: saved.progressSummary,
    challenges: saved.challenges,
    lessonsLearned: saved.lessonsLearned,
    nextQuarter: saved.nextQuarter,
  };
  return Object.values(narrative).some((text) => text !== null && text.trim() !== '') ? narrative : null;
}

/** Reads report inputs (logframe tree, actuals to date, settings in force, quarter validation). */
@Injectable()
export class ReportInputsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logframes: LogframeReader,
    private readonly progress: ProgressReadRepository,
  ) {}

  /** The organisation settings in force (highest version). */
  async currentSettings(manager: EntityManager = this.dataSource.manager): Promise<RbmSettingsEntity> {
    const settings = await settingsInForce(manager);
    if (!settings) throw new Error('rbm_settings is empty: run the migrations');
    return settings;
  }

  /**
   * The version stamps of the given projects' report inputs for a quarter, in one statement (see
   * {@link INPUT_STAMPS_SQL}), by project id; projects that do not exist are absent.
   */
  async inputStamps(
    projectIds: string[],
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ProjectInputStamps>> {
    if (projectIds.length === 0) return new Map();
    const rows: InputStampRow[] = await manager.query(INPUT_STAMPS_SQL, [projectIds, year * 10 + quarter]);
    return new Map(rows.map((row) => [row.project_id, toProjectInputStamps(row)]));
  }

  /**
   * The stamp of the reference rows multi-project reports print (donors, org units, programmes,
   * standard indicators, SDG targets); '0' until one of them changes.
   */
  async globalStamp(manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows: { stamp: string | null }[] = await manager.query(
      `SELECT max(stamp)::text AS stamp FROM report_input_stamp WHERE project_id = '00000000-0000-0000-0000-000000000000' AND source = 'global'`,
    );
    return rows[0]?.stamp ?? '0';
  }

  /**
   * Inputs of a project's report for a quarter, from the revision given (the working copy until the
   * approval workflow exists). Actuals are those of the revision's indicators with a period ending on
   * or before the quarter's end.
   */
  async projectSource(
    revisionId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectReportSource> {
    const [source] = await this.projectSources([revisionId], year, quarter, manager);
    if (!source) throw new Error(`Logframe revision ${revisionId} not found`);
    return source;
  }

  /**
   * Inputs of several projects' reports (one revision each) with the same constant number of
   * set-based queries as one project, in the order of `revisionIds`.
   */
  async projectSources(
    revisionIds: string[],
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectReportSource[]> {
    const { end } = quarterRange(year, quarter);
    const trees = await this.logframes.loadPlainTrees(revisionIds, manager);
    const settings = await this.currentSettings(manager);
    if (trees.length === 0) return [];
    const seriesIds = trees.flatMap((tree) => indicatorNodes(tree)).map((n) => n.indicator.stableId);
    const projectIds = trees.map((t) => t.project.id);
    // Progress tables only through libs/progress's read repository (STYLE.md dependency rule).
    const actualsBySeries = await this.progress.actualsToDate(seriesIds, end, manager);
    const records = await this.progress.quarterRecords(projectIds, year, quarter, manager);
    const disaggregationsByActual = await this.progress.disaggregationsToDate(seriesIds, end, manager);
    const personIds = [
      ...trees.map((t) => t.revision.approvedById),
      ...[...records.values()].flatMap((r) => [r.progress?.submittedById, r.progress?.validatedById]),
    ].filter((id): id is string => !!id);
    const approvers: { id: string; email: string; display_name: string }[] = personIds.length
      ? await manager.query(`SELECT id, email, display_name FROM app_user WHERE id = ANY($1)`, [
          [...new Set(personIds)],
        ])
      : [];
    const approverById = new Map(approvers.map((a) => [a.id, a]));
    const person = (id: string | null | undefined, role: string): PersonActing | null => {
      const user = id ? approverById.get(id) : undefined;
      return user ? { displayName: user.display_name, role } : null;
    };
    const thresholds = settingsThresholds(settings);
    return trees.map((tree) => {
      const record = records.get(tree.project.id);
      const progress = record?.progress ?? null;
      const own = indicatorNodes(tree);
      return {
        tree,
        actualsBySeries: new Map(
          own
            .map((n) => [n.indicator.stableId, actualsBySeries.get(n.indicator.stableId) ?? []] as const)
            .filter(([, list]) => list.length > 0),
        ),
        settings,
        thresholds,
        quarterValidated: progress?.status === 'validated',
        approvedByEmail: approverById.get(tree.revision.approvedById ?? '')?.email ?? null,
        people: {
          approvedBy: person(tree.revision.approvedById, 'rbm_focal_point'),
          submittedBy: person(progress?.submittedById, 'project_manager'),
          validatedBy: person(progress?.validatedById, 'rbm_focal_point'),
        },
        narrative: reportNarrative(record?.narrative),
        // Without any part (most portfolios), no walk over every actual of the project.
        disaggregationsByActual: new Map(
          disaggregationsByActual.size === 0
            ? []
            : own
                .flatMap((n) => actualsBySeries.get(n.indicator.stableId) ?? [])
                .filter((a) => disaggregationsByActual.has(a.id))
                .map((a) => [a.id, disaggregationsByActual.get(a.id)!] as const),
        ),
        validation: quarterValidation(record),
        outcomeRatings: record?.outcomeRatings ?? new Map(),
        varianceExplanations: record?.varianceExplanations ?? new Map(),
        assumptionUpdates: record?.assumptionUpdates ?? new Map(),
      };
    });
  }

  /**
   * The projects of a multi-project scope and their report inputs, set-based (a constant number of
   * queries whatever the number of projects): see {@link portfolioScope}. Each project uses its revision in force.
   * @returns null when the scope itself does not exist
   */
  async portfolioSources(
    scopeType: Exclude<ReportScope, 'project'>,
    scopeId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
    restrictedToUnitIds: string[] = [],
  ): Promise<{
    name: string;
    /** The scope's code (see `PortfolioReportContent.scope.code`) and title. */
    code: string;
    title: string;
    /** The org units the report is restricted to (empty: the whole scope), for its cover. */
    restrictedTo: { id: string; code: string; name: string }[];
    sources: ProjectReportSource[];
    fundedBy: Map<string, PortfolioFunding[]>;
    standardIndicators: Map<string, { code: string; title: string }>;
  } | null> {
    const scope = await this.portfolioScope(scopeType, scopeId, manager, restrictedToUnitIds);
    if (!scope) return null;
    const restrictedTo: { id: string; code: string; name: string }[] = restrictedToUnitIds.length
      ? await manager.query(`SELECT id, code, name FROM org_unit WHERE id = ANY($1::uuid[]) ORDER BY code`, [
          restrictedToUnitIds,
        ])
      : [];
    const sources = await this.projectSources(scope.revisionIds, year, quarter, manager);
    const fundedBy = await this.fundingAgreements(
      sources.map((x) => x.tree.project.id),
      manager,
    );
    const standardIds = [
      ...new Set(
        sources.flatMap((x) =>
          indicatorNodes(x.tree)
            .map((n) => n.indicator.standardIndicatorId)
            .filter((id): id is string => !!id),
        ),
      ),
    ];
    const standards: { id: string; code: string; title: string }[] = standardIds.length
      ? await manager.query(`SELECT id, code, title FROM standard_indicator WHERE id = ANY($1)`, [standardIds])
      : [];
    const standardIndicators = new Map(standards.map((x) => [x.id, { code: x.code, title: x.title }]));
    return {
      name: scope.name,
      code: scope.code,
      title: scope.title,
      restrictedTo,
      sources,
      fundedBy,
      standardIndicators,
    };
  }

  /**
   * A multi-project scope's row (name, code, title) and the revision in force of each of its projects,
   * in two statements: donor → projects it funds; programme → its projects; org_unit → projects of the
   * unit and the units below it; sdg_target → projects whose revision in force links the target or names
   * one of its SDG indicators; restricted to the given org units and the units below them when any.
   * @returns null when the scope itself does not exist
   */
  async portfolioScope(
    scopeType: Exclude<ReportScope, 'project'>,
    scopeId: string,
    manager: EntityManager = this.dataSource.manager,
    restrictedToUnitIds: string[] = [],
  ): Promise<{ name: string; code: string; title: string; projectIds: string[]; revisionIds: string[] } | null> {
    const names: Record<string, string> = {
      donor: `SELECT name, iati_org_ref AS code, name AS title FROM donor WHERE id::text = $1`,
      programme: `SELECT code || ' ' || title AS name, code, title FROM programme WHERE id::text = $1`,
      org_unit: `SELECT code || ' ' || name AS name, code, name AS title FROM org_unit WHERE id::text = $1`,
      sdg_target: `SELECT 'SDG ' || code || ': ' || title AS name, code, title FROM sdg_target WHERE code = $1`,
    };
    const [scope]: { name: string; code: string | null; title: string | null }[] = await manager.query(
      names[scopeType],
      [scopeId],
    );
    if (!scope) return null;
    const inForce = `(SELECT DISTINCT ON (r.project_id) r.project_id, r.id FROM logframe_revision r ORDER BY r.project_id, (r.status = 'approved') DESC, r.number DESC)`;
    const projectQuery: Record<string, string> = {
      donor: `SELECT f.id AS revision_id FROM ${inForce} f JOIN funding_agreement fa ON fa.project_id = f.project_id WHERE fa.donor_id::text = $1`,
      programme: `SELECT f.id AS revision_id FROM ${inForce} f JOIN project p ON p.id = f.project_id WHERE p.programme_id::text = $1`,
      org_unit: `SELECT f.id AS revision_id FROM ${inForce} f JOIN project p ON p.id = f.project_id
                 WHERE p.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM org_unit WHERE id::text = $1 UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
      sdg_target: `SELECT f.id AS revision_id FROM ${inForce} f WHERE EXISTS (SELECT 1 FROM sdg_link l WHERE l.revision_id = f.id AND l.sdg_target_code = $1)
                   OR EXISTS (SELECT 1 FROM indicator i JOIN sdg_indicator si ON si.code = i.sdg_indicator_code WHERE i.revision_id = f.id AND si.target_code = $1)`,
    };
    // A restricted report keeps the projects of the given org units and the units below them.
    const revisions: { revision_id: string; project_id: string }[] = await manager.query(
      `SELECT q.revision_id, qr.project_id FROM (${projectQuery[scopeType]}) q
         JOIN logframe_revision qr ON qr.id = q.revision_id JOIN project qp ON qp.id = qr.project_id
        WHERE cardinality($2::uuid[]) = 0
           OR qp.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM org_unit WHERE id = ANY($2::uuid[])
                                 UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
      [scopeId, restrictedToUnitIds],
    );
    return {
      name: scope.name,
      code: scope.code ? String(scope.code) : slug(String(scope.title ?? scope.name)),
      title: scope.title ?? scope.name,
      projectIds: revisions.map((r) => r.project_id),
      revisionIds: revisions.map((r) => r.revision_id),
    };
  }

  /** The funding agreements of projects (donor, amount, currency, dates), by project id, donors alphabetical. */
  private async fundingAgreements(
    projectIds: string[],
    manager: EntityManager,
  ): Promise<Map<string, PortfolioFunding[]>> {
    const funders: {
      project_id: string;
      donor_id: string;
      name: string;
      amount: string | null;
      currency: string | null;
      start_date: string | null;
      end_date: string | null;
    }[] = projectIds.length
      ? await manager.query(
          `SELECT fa.project_id, fa.donor_id, d.name, fa.amount::text AS amount, fa.currency,
                  fa.start_date::text AS start_date, fa.end_date::text AS end_date
             FROM funding_agreement fa JOIN donor d ON d.id = fa.donor_id WHERE fa.project_id = ANY($1) ORDER BY d.name`,
          [projectIds],
        )
      : [];
    const fundedBy = new Map<string, PortfolioFunding[]>();
    for (const f of funders)
      fundedBy.set(f.project_id, [
        ...(fundedBy.get(f.project_id) ?? []),
        {
          donorId: f.donor_id,
          name: f.name,
          amount: toJsonNumber(f.amount),
          currency: f.currency?.trim() ?? null,
          startDate: f.start_date,
          endDate: f.end_date,
        },
      ]);
    return fundedBy;
  }
}
