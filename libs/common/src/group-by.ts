/**
 * Rows grouped by a key, each group in the rows' order (`Map.groupBy` of Node 21+, which Node 20 lacks).
 * @returns the groups in the order their keys first appear
 */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
