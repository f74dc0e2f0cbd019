#!/usr/bin/env node
// `npm run deps`: prints the lib-to-lib (and app-to-lib) import graph of the production sources and
// fails (exit 1) on an import cycle between libs or on an edge STYLE.md's dependency rule forbids:
// - an app importing another app;
// - a lib importing an app;
// - libs/testing imported by production code (only specs, test/ and bench/ may use it);
// - libs/progress importing libs/reporting;
// - libs/reporting reading progress tables other than through libs/progress's read repository
//   (SQL naming a progress table, or a progress entity imported as a value);
// - libs/calculations importing anything but decimal.js (it must stay browser-safe);
// - the web app (apps/web, .ts and .tsx) importing any lib but libs/calculations (through its
//   `@calculations/*` Vite alias): the rest of the libs run on Node, Nest and TypeORM.
// Reads the sources directly (no build needed); specs (*.spec.ts) are not production code.
// Imports of migrations/ (the data source lists them) are not module edges.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root, or the root given as first argument (the spec runs it on fixture trees).
const ROOT = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const PROGRESS_TABLES = [
  'actual',
  'actual_disaggregation',
  'progress_report',
  'outcome_rating',
  'variance_explanation',
  'assumption_update',
];
const PROGRESS_ENTITIES = [
  'ActualEntity',
  'ActualDisaggregationEntity',
  'ProgressReportEntity',
  'OutcomeRatingEntity',
  'VarianceExplanationEntity',
  'AssumptionUpdateEntity',
];

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (/\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The module a source file belongs to: `libs/x` or `apps/x`. */
function moduleOf(file) {
  const [top, name] = relative(ROOT, file).split(sep);
  return `${top}/${name}`;
}

/** Every import/export-from specifier of a file, with whether it is type-only. */
function importsOf(source) {
  const result = [];
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(pattern)) {
    const specifier = m[4] ?? m[5] ?? m[6];
    result.push({ specifier, typeOnly: Boolean(m[2]), names: m[3] ?? '' });
  }
  return result;
}

const list = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const files = ['libs', 'apps'].flatMap((top) =>
  list(join(ROOT, top)).flatMap((name) => {
    const src = join(ROOT, top, name, 'src');
    try {
      return walk(src);
    } catch {
      return [];
    }
  }),
);

const edges = new Map(); // module -> Map(target module -> [files])
const problems = [];
const addEdge = (from, to, file) => {
  if (from === to) return;
  if (!edges.has(from)) edges.set(from, new Map());
  const targets = edges.get(from);
  if (!targets.has(to)) targets.set(to, []);
  targets.get(to).push(relative(ROOT, file));
};

for (const file of files) {
  const from = moduleOf(file);
  if (!edges.has(from)) edges.set(from, new Map());
  const source = readFileSync(file, 'utf8');
  for (const { specifier, typeOnly, names } of importsOf(source)) {
    let to = null;
    if (specifier.startsWith('#libs/')) to = `libs/${specifier.slice('#libs/'.length).split('/')[0]}`;
    // The web app's Vite alias for the shared calculation library (apps/web/vite.config.ts).
    else if (specifier.startsWith('@calculations/')) to = 'libs/calculations';
    else if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier);
      const rel = relative(ROOT, target).split(sep);
      if (rel[0] === 'libs' || rel[0] === 'apps') to = `${rel[0]}/${rel[1]}`;
    }
    if (from === 'libs/calculations' && !specifier.startsWith('.') && specifier !== 'decimal.js')
      problems.push(`libs/calculations must import only decimal.js: ${relative(ROOT, file)} imports '${specifier}'`);
    if (!to) continue;
    addEdge(from, to, file);
    if (from.startsWith('apps/') && to.startsWith('apps/') && from !== to)
      problems.push(`app imports app: ${relative(ROOT, file)} (${from}) imports ${to}`);
    if (from === 'apps/web' && to.startsWith('libs/') && to !== 'libs/calculations')
      problems.push(`the web app imports only libs/calculations: ${relative(ROOT, file)} imports ${to}`);
    if (from.startsWith('libs/') && to.startsWith('apps/'))
      problems.push(`lib imports app: ${relative(ROOT, file)} (${from}) imports ${to}`);
    if (to === 'libs/testing' && from !== 'libs/testing')
      problems.push(`libs/testing is for tests only: ${relative(ROOT, file)} imports it`);
    if (from === 'libs/progress' && to === 'libs/reporting')
      problems.push(`progress must not import reporting: ${relative(ROOT, file)}`);
    if (from === 'libs/reporting' && to === 'libs/database' && !typeOnly) {
      const valueNames = names
        .replace(/[{}]/g, '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith('type '));
      for (const entity of PROGRESS_ENTITIES)
        if (valueNames.includes(entity))
          problems.push(
            `reporting reads the progress table of ${entity} outside libs/progress's read repository: ${relative(ROOT, file)}`,
          );
    }
  }
  if (from === 'libs/reporting') {
    const sql = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(${PROGRESS_TABLES.join('|')})\\b`, 'g');
    for (const m of source.matchAll(sql))
      problems.push(
        `reporting reads the progress table ${m[1]} outside libs/progress's read repository: ${relative(ROOT, file)}`,
      );
  }
}

// Cycles between modules (depth-first search; reports each cycle once).
const seen = new Set();
const cycles = [];
const visit = (node, stack) => {
  if (stack.includes(node)) {
    const cycle = [...stack.slice(stack.indexOf(node)), node];
    const key = [...cycle].slice(0, -1).sort().join(',');
    if (!seen.has(key)) {
      seen.add(key);
      cycles.push(cycle.join(' -> '));
    }
    return;
  }
  for (const next of edges.get(node)?.keys() ?? []) visit(next, [...stack, node]);
};
for (const node of edges.keys()) visit(node, []);
for (const cycle of cycles) problems.push(`import cycle: ${cycle}`);

console.log('Import graph of production sources (module -> modules it imports):');
for (const [from, targets] of [...edges].sort(([a], [b]) => a.localeCompare(b)))
  console.log(`  ${from.padEnd(18)} -> ${[...targets.keys()].sort().join(', ') || '(nothing)'}`);
if (problems.length) {
  console.error(`\n${problems.length} dependency problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log('\nNo cycle and no forbidden edge (STYLE.md dependency rule).');
