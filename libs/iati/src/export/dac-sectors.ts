import { readFileSync } from 'node:fs';
import { repoPath } from '#libs/common';

let codes: Set<string> | null = null;

/**
 * Whether `code` is an active DAC 5-digit purpose code of the IATI Sector codelist shipped in
 * `data/iati/Sector.xml` (vocabulary 1; copied from the IATI codelists, CC BY 4.0).
 */
export function isDacSectorCode(code: string): boolean {
  if (codes === null) {
    const xml = readFileSync(repoPath('data', 'iati', 'Sector.xml'), 'utf8');
    codes = new Set([...xml.matchAll(/<codelist-item status="active">\s*<code>(\d{5})<\/code>/g)].map((m) => m[1]));
  }
  return codes.has(code);
}
