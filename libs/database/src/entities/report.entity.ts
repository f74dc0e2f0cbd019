import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { dateColumn } from '../column-types.js';
import {
  REPORT_FORMATS,
  REPORT_SCOPES,
  REPORT_STATUSES,
  type ReportFormat,
  type ReportScope,
  type ReportStatus,
} from '../enums.js';

/**
 * A quarterly outcome-level report and its job state (DESIGN.md §6). The row is written first
 * (`requested`); a relay enqueues it; the worker advances `queued → running → completed | failed`.
 * Unique (scope, scope id, restriction, year, quarter, fingerprint): one report per content. `version`
 * counts the reports of the same scope, restriction and quarter (a regeneration after a data change is
 * version n+1). A multi-project report requested by staff whose org units do not cover every project
 * of the scope is restricted to those units (`restrictedToUnitIds`, docs/RULES.md "Report reach").
 */
@Check('CHK_report_quarter', '"quarter" BETWEEN 1 AND 4')
@Entity({ name: 'report' })
@Index(['scopeType', 'scopeId', 'restrictedToUnitIds', 'year', 'quarter', 'fingerprint'], { unique: true })
@Index(['scopeType', 'scopeId', 'restrictedToUnitIds', 'year', 'quarter', 'version'], { unique: true })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'enum', enum: REPORT_SCOPES, enumName: 'report_scope' }) scopeType: ReportScope;
  /** A project/programme/donor/org unit uuid, or an SDG target code. */
  @Column({ type: 'varchar', length: 64 }) scopeId: string;
  /**
   * Empty: the whole scope. Otherwise the org units (sorted ids of the requester's manager and focal
   * point assignments) the report is restricted to: only projects in these units or below are in it.
   */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" }) restrictedToUnitIds: string[];
  @Column({ type: 'smallint' }) year: number;
  @Column({ type: 'smallint' }) quarter: number;
  @Column(dateColumn({ nullable: false })) periodStart: string;
  @Column(dateColumn({ nullable: false })) periodEnd: string;
  /** SHA-256 (hex) of the report's inputs; see docs/RULES.md "Report fingerprint". */
  @Column({ type: 'char', length: 64 }) fingerprint: string;
  @Column({ type: 'int' }) version: number;
  @Index()
  @Column({ type: 'enum', enum: REPORT_STATUSES, enumName: 'report_status', default: 'requested' })
  status: ReportStatus;
  /** True while the report rests on an unapproved logframe or unvalidated data: not for donors. */
  @Column({ type: 'boolean', default: true }) internal: boolean;
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** Status `superseded`: the report of the same scope and quarter whose fingerprint this content turned out to have. */
  @Column({ type: 'uuid', nullable: true }) supersededById: string | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'int', nullable: true }) thresholdsVersion: number | null;
  @Column({ type: 'jsonb', nullable: true }) content: unknown;
  @Column({ type: 'uuid', nullable: true }) requestedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) requestedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) queuedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) completedAt: Date | null;
  /** The BullMQ job building the row when it is not `report-<id>` (a batch of the quarterly run); null otherwise. */
  @Column({ type: 'varchar', length: 100, nullable: true }) jobId: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A rendered report file, stored in PostgreSQL with its SHA-256 and the version of the renderer that
 * made it, so api and worker both reach it. JSON and CSV are stored when the report is built; XLSX and
 * PDF on their first download (docs/RULES.md "Report files").
 */
@Entity({ name: 'report_file' })
@Index('IDX_report_file_report_format_language', ['reportId', 'format', 'language'], { unique: true })
export class ReportFileEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) reportId: string;
  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: Relation<ReportEntity>;
  @Column({ type: 'enum', enum: REPORT_FORMATS, enumName: 'report_format' }) format: ReportFormat;
  @Column({ type: 'varchar', length: 100 }) mediaType: string;
  @Column({ type: 'bytea' }) content: Buffer;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ type: 'int' }) byteSize: number;
  /** REPORT_RENDERER_VERSION when the file was rendered. */
  @Column({ type: 'int', default: 1 }) rendererVersion: number;
  /** Language of the file's labels (`en`, `fr`): XLSX and PDF are stored per language; JSON and CSV are `en`. */
  @Column({ type: 'varchar', length: 8, default: 'en' }) language: string;
  /** Code points no bundled font covers, drawn as boxes (PDF; empty otherwise), ascending. */
  @Column({ type: 'int', array: true, default: () => "'{}'" }) missingCharacters: number[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** One run of an import (IATI 2.03 file): what was created/updated and every issue found. */
@Entity({ name: 'import_run' })
export class ImportRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 300 }) sourceName: string;
  @Column({ type: 'char', length: 64 }) sourceSha256: string;
  @Column({ type: 'varchar', length: 40, default: 'iati-2.03' }) format: string;
  @Column({ type: 'uuid', nullable: true }) orgUnitId: string | null;
  @Column({ type: 'jsonb' }) summary: unknown;
  @Column({ type: 'jsonb' }) issues: unknown;
  @Column({ type: 'uuid', nullable: true }) importedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
