import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * README's configuration table names every variable the validated configuration reads, and nothing
 * else: a new user sets the product up from that table alone.
 */
const root = process.cwd();
const configSource = readFileSync(resolve(root, 'libs/config/src/app-config.ts'), 'utf8');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** The property names of the AppConfig class (upper-case fields, each one environment variable). */
function configVariables(): string[] {
  const body = configSource.slice(configSource.indexOf('export class AppConfig'));
  return [...new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]+)[?!]?\s*[:=]/gm)].map((m) => m[1]!))].sort();
}

/** The variables of README's configuration table (first column; a cell may name several). */
function readmeTableVariables(): string[] {
  const start = readme.indexOf('| variable | default | meaning |');
  const rows = readme.slice(start).split('\n').slice(2);
  const table = rows.slice(
    0,
    rows.findIndex((line) => !line.startsWith('|')),
  );
  return [
    ...new Set(table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!))),
  ].sort();
}

describe('README configuration table', () => {
  it('lists exactly the variables AppConfig validates', () => {
    const variables = configVariables();
    expect(variables).toContain('WORKER_HEAP_MB');
    expect(variables).toContain('TRUST_PROXY');
    expect(readmeTableVariables()).toEqual(variables);
  });
});
