import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const ROOT = process.cwd();
const FIXTURES = 'test/lint-fixtures/sql-in-repositories';

interface LintMessage {
  line: number;
  ruleId: string | null;
  message: string;
}

/** Lints the fixtures with the production rule (test/lint-fixtures/eslint.config.js): messages per file name. */
async function lintFixtures(): Promise<Map<string, LintMessage[]>> {
  const eslint = resolve(ROOT, 'node_modules/eslint/bin/eslint.js');
  const args = [eslint, '-c', 'test/lint-fixtures/eslint.config.js', '-f', 'json', FIXTURES];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    // ESLint exits 1 when it reports problems: the fixture that fires does.
    stdout = (error as { stdout: string }).stdout;
  }
  const results = JSON.parse(stdout) as { filePath: string; messages: LintMessage[] }[];
  return new Map(results.map((r) => [basename(r.filePath), r.messages]));
}

/** What each fixture line's `// fires: a b` comment expects: line → the method names reported there. */
function expectedFirings(file: string): Map<number, string[]> {
  const lines = readFileSync(resolve(ROOT, FIXTURES, file), 'utf8').split('\n');
  const expected = new Map<number, string[]>();
  lines.forEach((text, i) => {
    const match = /^\s*[^/\s].*\/\/ fires: (.+)$/.exec(text);
    if (match) expected.set(i + 1, match[1].trim().split(/\s+/));
  });
  return expected;
}

describe('ESLint rule rbm/sql-in-repositories (issue 11 item 2)', () => {
  let messages: Map<string, LintMessage[]>;

  it('fires on every SQL form in a service, one report per form, and names the method', async () => {
    messages = await lintFixtures();
    const fired = messages.get('fires.service.ts') ?? [];
    expect(fired.every((m) => m.ruleId === 'rbm/sql-in-repositories')).toBe(true);
    const expected = expectedFirings('fires.service.ts');
    // 2 injections + 17 calls (one line has getRepository and count): 20 reports on 19 lines.
    expect(fired).toHaveLength(20);
    expect([...expected.keys()]).toHaveLength(19);
    for (const [line, names] of expected) {
      const onLine = fired.filter((m) => m.line === line);
      expect({ line, count: onLine.length }).toEqual({ line, count: names.length });
      for (const name of names) {
        const phrase = name === 'inject' ? 'Only repositories inject the DataSource' : `\`${name}\``;
        expect(onLine.some((m) => m.message.includes(phrase))).toBe(true);
      }
    }
    // The English message of the data-method form, asserted once.
    expect(fired.find((m) => m.line === 22)?.message).toBe(
      '`save` on a TypeORM EntityManager runs SQL: move it into a repository (`*.repository.ts`) of the lib that owns the table.',
    );
  }, 120_000);

  it('is quiet for a service using the TransactionRunner and for array, map and set methods', async () => {
    messages ??= await lintFixtures();
    expect(messages.get('quiet.service.ts')).toEqual([]);
  }, 120_000);

  it('is quiet in a repository (the allowed files)', async () => {
    messages ??= await lintFixtures();
    // An ignored file is either absent from the results or present with no message.
    expect(messages.get('quiet.repository.ts') ?? []).toEqual([]);
  }, 120_000);
});
