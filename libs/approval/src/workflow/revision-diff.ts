import { isDeepStrictEqual } from 'node:util';

/** One element's change between two revisions, by stable id. `fields` lists what changed (added/removed: none). */
export interface ElementChange {
  elementType: 'project' | 'outcome' | 'output' | 'activity' | 'indicator' | 'assumption';
  elementId: string | null;
  code: string | null;
  change: 'added' | 'removed' | 'changed';
  fields: { field: string; before: unknown; after: unknown }[];
}

type Node = Record<string, unknown>;
const CHILDREN = new Set([
  'outcomes',
  'outputs',
  'activities',
  'indicators',
  'assumptions',
  'unlinkedOutputs',
  'impactIndicators',
]);

/** Flattens a canonical snapshot (logframeSnapshot) into elements keyed by type and stable id. */
function flatten(
  snapshot: Node,
): Map<string, { type: ElementChange['elementType']; id: string | null; code: string | null; own: Node }> {
  const out = new Map<
    string,
    { type: ElementChange['elementType']; id: string | null; code: string | null; own: Node }
  >();
  const own = (node: Node) => Object.fromEntries(Object.entries(node).filter(([k]) => !CHILDREN.has(k) && k !== 'id'));
  const visit = (type: ElementChange['elementType'], node: Node) => {
    const id = (node.id as string | undefined) ?? null;
    out.set(`${type}:${id}`, { type, id, code: (node.code as string | undefined) ?? null, own: own(node) });
    for (const o of (node.outputs as Node[] | undefined) ?? []) visit('output', o);
    for (const a of (node.activities as Node[] | undefined) ?? []) visit('activity', a);
    for (const i of (node.indicators as Node[] | undefined) ?? []) visit('indicator', i);
    for (const a of (node.assumptions as Node[] | undefined) ?? []) visit('assumption', a);
  };
  const project = snapshot.project as Node;
  out.set('project:null', { type: 'project', id: null, code: (project.code as string) ?? null, own: own(project) });
  for (const a of (project.assumptions as Node[] | undefined) ?? []) visit('assumption', a);
  for (const o of (snapshot.outcomes as Node[]) ?? []) visit('outcome', o);
  for (const o of (snapshot.unlinkedOutputs as Node[]) ?? []) visit('output', o);
  for (const i of (snapshot.impactIndicators as Node[]) ?? []) visit('indicator', i);
  return out;
}

/**
 * The element-by-element difference between two canonical logframe snapshots, matched by stable id
 * (DESIGN.md §2 Identity): added, removed and changed elements with each changed field's before/after.
 * An output moved under another outcome shows as changed only if its own fields changed.
 */
export function diffSnapshots(before: Node, after: Node): ElementChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: ElementChange[] = [];
  for (const [key, old] of a) {
    const now = b.get(key);
    if (!now) {
      changes.push({ elementType: old.type, elementId: old.id, code: old.code, change: 'removed', fields: [] });
      continue;
    }
    const fields = [...new Set([...Object.keys(old.own), ...Object.keys(now.own)])]
      .filter((f) => f !== 'revision' && !isDeepStrictEqual(old.own[f], now.own[f]))
      .map((field) => ({ field, before: old.own[field] ?? null, after: now.own[field] ?? null }));
    if (fields.length)
      changes.push({ elementType: now.type, elementId: now.id, code: now.code, change: 'changed', fields });
  }
  for (const [key, now] of b)
    if (!a.has(key))
      changes.push({ elementType: now.type, elementId: now.id, code: now.code, change: 'added', fields: [] });
  return changes;
}
