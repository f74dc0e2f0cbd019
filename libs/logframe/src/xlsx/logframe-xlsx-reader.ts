import {
  cellOf,
  DomainException,
  ErrorCode,
  type FieldError,
  type PlainSheet,
  readBoundedWorkbook,
} from '#libs/common';
import type { AssumptionKind, CollectionFrequency, Likelihood, Measure } from '#libs/database';
import { AGGREGATIONS, COLLECTION_FREQUENCIES, DIRECTIONS, LIKELIHOODS, MEASURES } from '#libs/database';
import type {
  ActivityDoc,
  AssumptionDoc,
  IndicatorDoc,
  LogframeDocument,
  OutcomeDoc,
  OutputDoc,
  PeriodTargetDoc,
  SdgLinkDoc,
} from '../logframe-document.js';
import {
  isBlank,
  type Plain,
  type Read,
  readCode,
  readDate,
  readEnum,
  readInteger,
  readNumber,
  readText,
} from './xlsx-cells.js';
import {
  type ColumnSpec,
  CONTRIBUTIONS,
  INDICATOR_LEVELS,
  LEVELS,
  type Level,
  levelOf,
  README_PROJECT_ID,
  README_VERSION,
  RESULT_COLUMNS,
  SHEET_README,
  SHEET_RESULTS,
  SHEET_TARGETS,
  SHEETS,
  TARGET_COLUMNS,
  columnLetter,
} from './xlsx-layout.js';

/** Where a value sits in the workbook: sheet name, 1-based row, column letter. */
export interface CellRef {
  sheet: string;
  row?: number;
  column?: string;
  header?: string;
}

/** An uploaded workbook read back: the document, the problems found, and where each document path came from. */
export interface LogframeWorkbook {
  /** The document as far as it could be read (cells that could not be read are left empty). */
  document: LogframeDocument;
  /** Every cell that could not be read, with its sheet, row and column (path: the document path, else `'Sheet'!B7`). */
  errors: FieldError[];
  /** The project id the workbook was exported from (Read me), if it says, and its cell. */
  projectId: string | null;
  projectIdCell: CellRef;
  /** Adds sheet, row and column to an error that names a document path (validation, rules). */
  locate(error: FieldError): FieldError;
}

/** Largest upload read (bytes). */
export const MAX_XLSX_BYTES = 10 * 1024 * 1024;

interface RowRecord {
  sheet: string;
  row: number;
  level: Level | null;
  /** Cell values by column key; addresses by column key. */
  cells: Map<string, { plain: Plain; column: string; percent: boolean }>;
  /** Document path of the element once placed in the tree. */
  path?: string;
}

interface PendingError {
  record: RowRecord | null;
  sheet: string;
  row?: number;
  columnKey?: string;
  column?: string;
  header?: string;
  message: string;
  pathSuffix?: string;
}

const cellRefText = (ref: CellRef) => `'${ref.sheet}'!${ref.column ?? 'A'}${ref.row ?? 1}`;

/** Stable order of located errors: sheet, row, column. */
function errorOrder(a: FieldError, b: FieldError): number {
  const sheet = (e: FieldError) => (e.sheet ? SHEETS.indexOf(e.sheet as (typeof SHEETS)[number]) : 99);
  const col = (e: FieldError) => [...(e.column ?? '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return sheet(a) - sheet(b) || (a.row ?? 0) - (b.row ?? 0) || col(a) - col(b);
}

/** Sorts errors by sheet (Results chain, Period targets, Read me), row and column; an error without a row comes first in its sheet. */
export function sortCellErrors(errors: FieldError[]): FieldError[] {
  return [...errors].sort(errorOrder);
}

/**
 * Reads an uploaded workbook (the layout of {@link writeLogframeWorkbook}) into a logframe document.
 * Cells that cannot be read (a text where a number is expected, an unknown list value, a bad
 * date, a parent code that does not exist, a value in a column that does not apply to the row's
 * level) are all collected, each with its sheet, row and column; the caller refuses the upload when
 * there are any. Does not check the logframe rules: that is LogframeService.replace.
 * @throws DomainException bad_request when the file is not an .xlsx workbook or lacks a sheet or a column;
 *   payload_too_large (413) naming the limit when it crosses one of WORKBOOK_LIMITS
 */
export async function readLogframeWorkbook(data: Buffer): Promise<LogframeWorkbook> {
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw notAWorkbook();
  // Checked against the limits and parsed to plain rows off the main thread (ExcelJS never runs here).
  const book = await readBoundedWorkbook(data);
  const date1904 = book.date1904;
  const sheetOf = (name: string) => book.sheets.find((w) => w.name.trim().toLowerCase() === name.toLowerCase());
  const results = sheetOf(SHEET_RESULTS);
  const targets = sheetOf(SHEET_TARGETS);
  const readme = sheetOf(SHEET_README);
  const structural: FieldError[] = [];
  for (const [name, sheet] of [
    [SHEET_RESULTS, results],
    [SHEET_TARGETS, targets],
    [SHEET_README, readme],
  ] as const) {
    if (!sheet)
      structural.push({
        path: `'${name}'`,
        code: 'required',
        params: { sheet: name },
        message: `The sheet "${name}" is missing: export the logframe again and edit that workbook`,
        sheet: name,
      });
  }
  const resultRecords = results ? readRecords(results, SHEET_RESULTS, RESULT_COLUMNS, structural) : [];
  const targetRecords = targets ? readRecords(targets, SHEET_TARGETS, TARGET_COLUMNS, structural) : [];
  if (structural.length)
    throw DomainException.badRequest(
      ErrorCode.FILE_UNREADABLE,
      'The workbook is not a logframe workbook of RBM Tracker; nothing was saved',
      structural,
    );
  return new WorkbookParser(resultRecords, targetRecords, readme!, date1904).parse();
}

function notAWorkbook(): DomainException {
  return DomainException.badRequest(
    ErrorCode.FILE_UNREADABLE,
    'The file is not an Excel workbook (.xlsx): export the logframe as .xlsx, edit it and upload it again',
    [{ path: 'file', code: 'unreadable', params: {}, message: 'is not an .xlsx workbook' }],
  );
}

/** The data rows of a sheet as records, columns found by header; a missing header is a structural error. */
function readRecords(
  sheet: PlainSheet,
  name: string,
  columns: readonly ColumnSpec[],
  structural: FieldError[],
): RowRecord[] {
  const headerRow = sheet.rows.find((r) => r.number === 1);
  const byHeader = new Map<string, number>();
  for (const [col, cell] of Object.entries(headerRow?.cells ?? {}))
    if (typeof cell.value === 'string') byHeader.set(cell.value.trim().toLowerCase(), Number(col));
  const positions = new Map<string, number>();
  for (const c of columns) {
    const col = byHeader.get(c.header.toLowerCase());
    if (col === undefined)
      structural.push({
        path: `'${name}'!1`,
        code: 'required',
        params: { sheet: name, header: c.header },
        message: `The column "${c.header}" is missing: put its header back in row 1`,
        sheet: name,
        row: 1,
      });
    else positions.set(c.key, col);
  }
  if (positions.size !== columns.length) return [];
  const records: RowRecord[] = [];
  for (const row of sheet.rows) {
    if (row.number === 1) continue;
    const cells = new Map<string, { plain: Plain; column: string; percent: boolean }>();
    let empty = true;
    for (const c of columns) {
      const col = positions.get(c.key)!;
      const cell = cellOf(row, col);
      if (!isBlank(cell.value)) empty = false;
      cells.set(c.key, { plain: cell.value, column: columnLetter(col), percent: cell.percent });
    }
    if (!empty) records.push({ sheet: name, row: row.number, level: null, cells });
  }
  return records;
}

const RESULT_BY_KEY = new Map(RESULT_COLUMNS.map((c) => [c.key, c]));
const TARGET_BY_KEY = new Map(TARGET_COLUMNS.map((c) => [c.key, c]));

/** The document being built from the Results chain rows, with the elements found by code and the children awaiting their parent. */
interface TreeInProgress {
  doc: LogframeDocument;
  outcomes: Map<string, OutcomeDoc>;
  outputs: Map<string, OutputDoc>;
  indicators: Map<string, IndicatorDoc>;
  parented: { record: RowRecord; parent: string | null; attach: (parent: string | null) => boolean }[];
  projectSeen: boolean;
}

/** Turns the records into a document, collecting every problem, and remembers the cell of each document path. */
class WorkbookParser {
  private readonly pending: PendingError[] = [];
  private readonly cellsByPath = new Map<string, CellRef>();
  private readonly recordOf = new Map<object, RowRecord>();
  private readmeVersionCell: CellRef = { sheet: SHEET_README };
  private projectIdCell: CellRef = { sheet: SHEET_README };

  constructor(
    private readonly resultRecords: RowRecord[],
    private readonly targetRecords: RowRecord[],
    private readonly readme: PlainSheet,
    private readonly date1904: boolean,
  ) {}

  parse(): LogframeWorkbook {
    const { version, projectId } = this.readReadme();
    const document = this.buildTree(version);
    this.assignPaths(document);
    const errors = this.pending.map((p) => this.resolve(p));
    return {
      document,
      errors: sortCellErrors(errors),
      projectId,
      projectIdCell: this.projectIdCell,
      locate: (e) => this.locate(e),
    };
  }

  // ---- cells -------------------------------------------------------------------------------

  private spec(record: RowRecord, key: string): ColumnSpec {
    return (record.sheet === SHEET_RESULTS ? RESULT_BY_KEY : TARGET_BY_KEY).get(key)!;
  }

  private error(record: RowRecord, key: string | undefined, message: string, pathSuffix?: string): void {
    const cell = key ? record.cells.get(key) : undefined;
    this.pending.push({
      record,
      sheet: record.sheet,
      row: record.row,
      columnKey: key,
      column: cell?.column,
      header: key ? this.spec(record, key).header : undefined,
      message,
      pathSuffix,
    });
  }

  /** Reads one cell with `reader`; on failure records the error (with the cell) and gives null. */
  private get<T>(record: RowRecord, key: string, reader: (plain: Plain, percent: boolean) => Read<T | null>): T | null {
    const cell = record.cells.get(key)!;
    const result = reader(cell.plain, cell.percent);
    if (result.ok) return result.value;
    this.error(record, key, result.message);
    return null;
  }

  private text = (r: RowRecord, key: string) => this.get(r, key, readText);
  private code = (r: RowRecord, key: string) => this.get(r, key, readCode);
  private num = (r: RowRecord, key: string) => this.get(r, key, readNumber);
  private date = (r: RowRecord, key: string) => this.get(r, key, (p) => readDate(p, this.date1904));
  private choice = <T extends string>(r: RowRecord, key: string, values: readonly T[]) =>
    this.get(r, key, (p) => readEnum(p, values));

  // ---- Read me -----------------------------------------------------------------------------

  private readReadme(): { version: number; projectId: string | null } {
    let version: number | null = null;
    let projectId: string | null = null;
    let versionFound = false;
    for (const row of this.readme.rows) {
      const rowNumber = row.number;
      const label = cellOf(row, 1).value;
      if (typeof label !== 'string') continue;
      const value = cellOf(row, 2).value;
      if (label.trim().toLowerCase() === README_VERSION.toLowerCase()) {
        versionFound = true;
        this.readmeVersionCell = { sheet: SHEET_README, row: rowNumber, column: 'B', header: README_VERSION };
        const read = readInteger(value);
        if (read.ok && read.value !== null && read.value >= 1) version = read.value;
        else
          this.pending.push({
            record: null,
            sheet: SHEET_README,
            row: rowNumber,
            column: 'B',
            header: README_VERSION,
            message:
              'must be the logframe version the workbook was exported at (a whole number): export the logframe again',
            pathSuffix: 'version',
          });
      }
      if (label.trim().toLowerCase() === README_PROJECT_ID.toLowerCase()) {
        const read = readCode(value);
        projectId = read.ok ? read.value : null;
        this.projectIdCell = { sheet: SHEET_README, row: rowNumber, column: 'B' };
      }
    }
    if (!versionFound)
      this.pending.push({
        record: null,
        sheet: SHEET_README,
        message: `the row "${README_VERSION}" is missing: export the logframe again`,
        pathSuffix: 'version',
      });
    this.cellsByPath.set('version', this.readmeVersionCell);
    return { version: version ?? 0, projectId };
  }

  // ---- Results chain -------------------------------------------------------------------------

  private buildTree(version: number): LogframeDocument {
    const tree: TreeInProgress = {
      doc: { version, sdgLinks: [], assumptions: [], impactIndicators: [], outcomes: [], unlinkedOutputs: [] },
      outcomes: new Map(),
      outputs: new Map(),
      indicators: new Map(),
      parented: [],
      projectSeen: false,
    };
    for (const record of this.resultRecords) this.readResultRow(tree, record);
    this.attachToParents(tree.parented);
    for (const record of this.targetRecords) this.readTargetRow(tree, record);
    return tree.doc;
  }

  /** The level of a Results chain row, checked with the columns that apply to it; null (reported) when unreadable. */
  private rowLevel(record: RowRecord): Level | null {
    const levelText = readCode(record.cells.get('level')!.plain);
    const level = levelText.ok && levelText.value ? levelOf(levelText.value) : null;
    if (!level) {
      this.error(
        record,
        'level',
        levelText.ok && levelText.value
          ? `'${levelText.value}' is not a level: use one of ${Object.values(LEVELS).join(', ')}`
          : 'is empty: say what the row is (Outcome, Output, Output indicator, ...)',
      );
      return null;
    }
    record.level = level;
    for (const spec of RESULT_COLUMNS) {
      if (!spec.levels.includes(level) && !isBlank(record.cells.get(spec.key)!.plain))
        this.error(record, spec.key, `does not apply to a row of level ${LEVELS[level]}: leave it empty`);
    }
    return level;
  }

  /** Reads one Results chain row into the tree (children wait in `parented` for their parent). */
  private readResultRow(tree: TreeInProgress, record: RowRecord): void {
    const level = this.rowLevel(record);
    if (!level) return;
    const parent = this.code(record, 'parent');
    const id = this.code(record, 'id') ?? undefined;
    const { doc } = tree;
    switch (level) {
      case 'project': {
        if (tree.projectSeen) this.error(record, 'level', 'there is already a Project row: keep one');
        else doc.sdgLinks = this.links(record);
        tree.projectSeen = true;
        break;
      }
      case 'outcome': {
        const outcome = this.outcomeOf(record, id);
        doc.outcomes.push(outcome);
        if (outcome.code && !tree.outcomes.has(outcome.code)) tree.outcomes.set(outcome.code, outcome);
        break;
      }
      case 'output': {
        const output = this.outputOf(record, id);
        if (output.code && !tree.outputs.has(output.code)) tree.outputs.set(output.code, output);
        tree.parented.push({
          record,
          parent,
          attach: (p) => {
            if (p === null) return (doc.unlinkedOutputs.push(output), true);
            const oc = tree.outcomes.get(p);
            return oc ? (oc.outputs.push(output), true) : false;
          },
        });
        break;
      }
      case 'activity': {
        const activity = this.activityOf(record, id);
        tree.parented.push({
          record,
          parent,
          attach: (p) => {
            const out = p === null ? undefined : tree.outputs.get(p);
            return out ? (out.activities.push(activity), true) : false;
          },
        });
        break;
      }
      case 'assumption':
      case 'risk': {
        const assumption = this.assumptionOf(record, id, level);
        tree.parented.push({
          record,
          parent,
          attach: (p) => {
            if (p === null) return (doc.assumptions.push(assumption), true);
            const target = tree.outcomes.get(p) ?? tree.outputs.get(p);
            return target ? (target.assumptions.push(assumption), true) : false;
          },
        });
        break;
      }
      default:
        this.readIndicatorRow(tree, record, level, parent, id);
    }
  }

  private readIndicatorRow(
    tree: TreeInProgress,
    record: RowRecord,
    level: Level,
    parent: string | null,
    id: string | undefined,
  ): void {
    const indicator = this.indicator(record, id);
    this.recordOf.set(indicator, record);
    if (indicator.code && !tree.indicators.has(indicator.code)) tree.indicators.set(indicator.code, indicator);
    tree.parented.push({
      record,
      parent,
      attach: (p) => {
        // An impact indicator sits on the project (a Parent code on its row is reported as not applying).
        if (level === 'impactIndicator') return (tree.doc.impactIndicators.push(indicator), true);
        const owner =
          p === null ? undefined : level === 'outcomeIndicator' ? tree.outcomes.get(p) : tree.outputs.get(p);
        return owner ? (owner.indicators.push(indicator), true) : false;
      },
    });
  }

  /** What an outcome row and an output row share: id, code, statement and SDG links; lists to fill. */
  private resultOf(record: RowRecord, id: string | undefined): Omit<OutcomeDoc, 'outputs'> {
    return {
      ...(id ? { id } : {}),
      code: this.code(record, 'code') ?? '',
      statement: this.text(record, 'statement') ?? '',
      sdgLinks: this.links(record),
      assumptions: [],
      indicators: [],
    };
  }

  private outcomeOf(record: RowRecord, id: string | undefined): OutcomeDoc {
    const outcome: OutcomeDoc = { ...this.resultOf(record, id), outputs: [] };
    this.recordOf.set(outcome, record);
    return outcome;
  }

  private outputOf(record: RowRecord, id: string | undefined): OutputDoc {
    const output: OutputDoc = { ...this.resultOf(record, id), activities: [] };
    this.recordOf.set(output, record);
    return output;
  }

  private activityOf(record: RowRecord, id: string | undefined): ActivityDoc {
    const activity: ActivityDoc = {
      ...(id ? { id } : {}),
      code: this.code(record, 'code') ?? '',
      description: this.text(record, 'statement') ?? '',
      startDate: this.date(record, 'startDate'),
      endDate: this.date(record, 'endDate'),
    };
    this.recordOf.set(activity, record);
    return activity;
  }

  private assumptionOf(record: RowRecord, id: string | undefined, level: Level): AssumptionDoc {
    const assumption: AssumptionDoc = {
      ...(id ? { id } : {}),
      kind: level as AssumptionKind,
      statement: this.text(record, 'statement') ?? '',
      likelihood: this.choice<Likelihood>(record, 'likelihood', LIKELIHOODS),
      impact: this.choice<Likelihood>(record, 'impact', LIKELIHOODS),
      mitigation: this.text(record, 'mitigation'),
    };
    this.recordOf.set(assumption, record);
    return assumption;
  }

  /** Parents are found by code anywhere in the sheet; children keep the order of their rows. */
  private attachToParents(parented: TreeInProgress['parented']): void {
    for (const { record, parent, attach } of parented) {
      if (attach(parent)) continue;
      const level = record.level!;
      const wants =
        level === 'activity' || level === 'outputIndicator'
          ? 'an output'
          : level === 'outcomeIndicator'
            ? 'an outcome'
            : level === 'output'
              ? 'an outcome (or empty: not linked yet)'
              : 'an outcome or output (or empty: the project)';
      if (parent === null) this.error(record, 'parent', `is empty: give the code of ${wants}`);
      else this.error(record, 'parent', `'${parent}' is not the code of ${wants} in this sheet`);
    }
  }

  /** Reads one Period targets row onto its indicator (by code, anywhere in the Results chain). */
  private readTargetRow(tree: TreeInProgress, record: RowRecord): void {
    const code = this.code(record, 'indicator');
    const target: PeriodTargetDoc = {
      periodStart: this.date(record, 'periodStart') ?? '',
      periodEnd: this.date(record, 'periodEnd') ?? '',
      value: this.num(record, 'value'),
      numerator: this.num(record, 'numerator'),
      denominator: this.num(record, 'denominator'),
      description: this.text(record, 'description'),
    };
    this.recordOf.set(target, record);
    const indicator = code ? tree.indicators.get(code) : undefined;
    if (indicator) indicator.periodTargets.push(target);
    else
      this.error(
        record,
        'indicator',
        code
          ? `'${code}' is not the code of an indicator in "${SHEET_RESULTS}"`
          : 'is empty: give the code of the indicator this target belongs to',
      );
  }

  private indicator(r: RowRecord, id: string | undefined): IndicatorDoc {
    const [min, max, labels] = [this.num(r, 'scaleMin'), this.num(r, 'scaleMax'), this.labels(r)];
    const scaleGiven =
      !isBlank(r.cells.get('scaleMin')!.plain) || !isBlank(r.cells.get('scaleMax')!.plain) || labels !== null;
    const disaggregations = this.text(r, 'disaggregations');
    return {
      ...(id ? { id } : {}),
      code: this.code(r, 'code') ?? '',
      title: this.text(r, 'statement') ?? '',
      definition: this.text(r, 'definition'),
      measure: (this.choice<Measure>(r, 'measure', MEASURES) ?? '') as Measure,
      unit: this.text(r, 'unit'),
      direction: (this.choice(r, 'direction', DIRECTIONS) ?? '') as IndicatorDoc['direction'],
      aggregation: (this.choice(r, 'aggregation', AGGREGATIONS) ?? '') as IndicatorDoc['aggregation'],
      ordinalScale: scaleGiven ? { min: min as string, max: max as string, ...(labels ? { labels } : {}) } : null,
      baseline: {
        value: this.num(r, 'baselineValue'),
        numerator: this.num(r, 'baselineNumerator'),
        denominator: this.num(r, 'baselineDenominator'),
        year: this.get(r, 'baselineYear', readInteger),
        date: this.date(r, 'baselineDate'),
        comment: this.text(r, 'baselineComment'),
        notAvailableReason: this.text(r, 'baselineNotAvailable'),
        dueDate: this.date(r, 'baselineDueDate'),
      },
      endTarget: {
        value: this.num(r, 'endTargetValue'),
        numerator: this.num(r, 'endTargetNumerator'),
        denominator: this.num(r, 'endTargetDenominator'),
        description: this.text(r, 'endTargetDescription'),
      },
      meansOfVerification: this.text(r, 'meansOfVerification'),
      dataSource: this.text(r, 'dataSource'),
      collectionFrequency: this.choice<CollectionFrequency>(r, 'collectionFrequency', COLLECTION_FREQUENCIES),
      requiredDisaggregations: disaggregations
        ? disaggregations
            .split(/[,;\n]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      standardIndicatorId: this.code(r, 'standardIndicator'),
      sdgIndicatorCode: this.code(r, 'sdgIndicator'),
      periodTargets: [],
    };
  }

  /** `1 = none` per line → `{ '1': 'none' }`; null when empty. */
  private labels(r: RowRecord): Record<string, string> | null {
    const text = this.text(r, 'scaleLabels');
    if (text === null) return null;
    const labels: Record<string, string> = {};
    for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
      const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
      if (!m) this.error(r, 'scaleLabels', `'${line}' is not 'point = label' (one per line, e.g. 1 = none)`);
      else labels[m[1]] = m[2];
    }
    return labels;
  }

  /** SDG links from "16.4 primary; 5.2 secondary" and rationales "16.4: why" (one per line). */
  private links(r: RowRecord): SdgLinkDoc[] {
    const targets = this.text(r, 'sdgTargets');
    const rationales = this.text(r, 'sdgRationales');
    const links: SdgLinkDoc[] = [];
    for (const item of (targets ?? '')
      .split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [code, contribution, ...rest] = item.split(/\s+/);
      const read = contribution === undefined ? null : readEnum(contribution, CONTRIBUTIONS);
      if (!read || rest.length)
        this.error(
          r,
          'sdgTargets',
          `'${item}' is not 'target contribution': write e.g. 16.4 primary (contribution: ${CONTRIBUTIONS.join(' or ')})`,
        );
      else if (!read.ok) this.error(r, 'sdgTargets', `'${item}': ${read.message}`);
      else links.push({ sdgTargetCode: code, contribution: read.value!, rationale: null });
    }
    let current: SdgLinkDoc | null = null;
    for (const line of (rationales ?? '').split(/\r?\n/)) {
      const m = /^\s*([0-9]{1,2}\.[0-9a-zA-Z]{1,2})\s*:\s?(.*)$/.exec(line);
      const link = m ? links.find((l) => l.sdgTargetCode.toLowerCase() === m[1].toLowerCase()) : undefined;
      if (m && link) {
        link.rationale = m[2];
        current = link;
      } else if (m && !link) {
        this.error(
          r,
          'sdgRationales',
          `'${m[1]}' is not one of the row's SDG targets (${links.map((l) => l.sdgTargetCode).join(', ') || 'none'})`,
        );
        current = null;
      } else if (current) current.rationale = `${current.rationale}\n${line}`;
      else if (line.trim())
        this.error(
          r,
          'sdgRationales',
          `'${line}' does not start with one of the row's SDG targets: write e.g. 16.4: why`,
        );
    }
    for (const l of links) if (l.rationale === '') l.rationale = null;
    return links;
  }

  // ---- paths ---------------------------------------------------------------------------------

  /** Walks the document as LogframeService does and records the cell of every path. */
  private assignPaths(doc: LogframeDocument): void {
    const at = (path: string, child: string) => (path ? `${path}.${child}` : child);
    const project = this.resultRecords.find((r) => r.level === 'project');
    const element = (node: object, path: string, links?: SdgLinkDoc[]) => {
      const record = this.recordOf.get(node);
      if (!record) return;
      record.path = path;
      const level = record.level;
      const columns = record.sheet === SHEET_RESULTS ? RESULT_COLUMNS : TARGET_COLUMNS;
      for (const spec of columns) {
        const field = typeof spec.field === 'string' ? spec.field : level ? spec.field?.[level] : undefined;
        if (field) this.cellsByPath.set(at(path, field), this.refOf(record, spec.key));
      }
      const main =
        record.sheet === SHEET_TARGETS
          ? 'periodStart'
          : level === 'assumption' || level === 'risk'
            ? 'statement'
            : 'code';
      this.cellsByPath.set(path, this.refOf(record, main));
      if (record.sheet === SHEET_RESULTS && level && INDICATOR_LEVELS.includes(level)) {
        this.cellsByPath.set(at(path, 'baseline'), this.refOf(record, 'baselineValue'));
        this.cellsByPath.set(at(path, 'endTarget'), this.refOf(record, 'endTargetValue'));
        this.cellsByPath.set(at(path, 'ordinalScale'), this.refOf(record, 'scaleMin'));
      }
      links?.forEach((_, i) => {
        this.cellsByPath.set(at(path, `sdgLinks[${i}]`), this.refOf(record, 'sdgTargets'));
        this.cellsByPath.set(at(path, `sdgLinks[${i}].rationale`), this.refOf(record, 'sdgRationales'));
      });
    };
    const assumptions = (path: string, list: AssumptionDoc[]) =>
      list.forEach((a, i) => element(a, at(path, `assumptions[${i}]`)));
    const indicators = (path: string, list: IndicatorDoc[]) =>
      list.forEach((ind, i) => {
        const p = `${path}[${i}]`;
        element(ind, p);
        ind.periodTargets.forEach((t, k) => element(t, `${p}.periodTargets[${k}]`));
      });
    const output = (o: OutputDoc, path: string) => {
      element(o, path, o.sdgLinks);
      assumptions(path, o.assumptions);
      indicators(`${path}.indicators`, o.indicators);
      o.activities.forEach((a, i) => element(a, `${path}.activities[${i}]`));
    };
    if (project) {
      project.path = '';
      this.cellsByPath.set('sdgLinks', this.refOf(project, 'sdgTargets'));
      doc.sdgLinks.forEach((_, i) => {
        this.cellsByPath.set(`sdgLinks[${i}]`, this.refOf(project, 'sdgTargets'));
        this.cellsByPath.set(`sdgLinks[${i}].rationale`, this.refOf(project, 'sdgRationales'));
      });
    }
    assumptions('', doc.assumptions);
    indicators('impactIndicators', doc.impactIndicators);
    doc.outcomes.forEach((oc, i) => {
      const path = `outcomes[${i}]`;
      element(oc, path, oc.sdgLinks);
      assumptions(path, oc.assumptions);
      indicators(`${path}.indicators`, oc.indicators);
      oc.outputs.forEach((o, j) => output(o, `${path}.outputs[${j}]`));
    });
    doc.unlinkedOutputs.forEach((o, j) => output(o, `unlinkedOutputs[${j}]`));
  }

  private refOf(record: RowRecord, key: string): CellRef {
    return {
      sheet: record.sheet,
      row: record.row,
      column: record.cells.get(key)!.column,
      header: this.spec(record, key).header,
    };
  }

  /** A parse error with its document path (when the row was placed) and its cell. */
  private resolve(p: PendingError): FieldError {
    const ref: CellRef = { sheet: p.sheet, row: p.row, column: p.column };
    let path: string;
    if (p.record?.path !== undefined && p.record.path !== null) {
      const spec = p.columnKey ? this.spec(p.record, p.columnKey) : undefined;
      const field = spec
        ? typeof spec.field === 'string'
          ? spec.field
          : p.record.level
            ? spec.field?.[p.record.level]
            : undefined
        : undefined;
      path = [p.record.path, field].filter(Boolean).join('.') || cellRefText(ref);
    } else path = p.pathSuffix ?? cellRefText(ref);
    const message = p.header ? `${p.header}: ${p.message}` : p.message;
    return withCell({ path, code: 'unreadable', params: p.header ? { header: p.header } : {}, message }, ref);
  }

  /**
   * The cell of a document path: the path itself, else its nearest ancestor that has one
   * (`outcomes[0].indicators[1].periodTargets` → the indicator's row). A duplicate-code error
   * (path `code`, message naming `outcomes[0].code and outcomes[1].code`) points at the second use.
   */
  private locate(error: FieldError): FieldError {
    let path = error.path;
    if (path === 'code') {
      const dup = /and ([^\s)]+\.code)\)/.exec(error.message);
      if (dup) path = dup[1];
    }
    for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      const ref = this.cellsByPath.get(p);
      if (ref)
        return withCell(
          { ...error, path, message: ref.header && p === path ? `${ref.header}: ${error.message}` : error.message },
          ref,
        );
      if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
    }
    return { ...error, sheet: SHEET_RESULTS };
  }
}

function withCell(error: FieldError, ref: CellRef): FieldError {
  return {
    ...error,
    sheet: ref.sheet,
    ...(ref.row !== undefined ? { row: ref.row } : {}),
    ...(ref.column !== undefined ? { column: ref.column } : {}),
  };
}
