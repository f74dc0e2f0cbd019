import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const SCRIPT = resolve(process.cwd(), 'scripts/deps.js');
const roots: string[] = [];

/** A fixture repository: file path → source. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rbm-deps-'));
  roots.push(root);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

/** Runs `npm run deps`'s script on a fixture: exit code and output. */
async function deps(root: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, root]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('npm run deps (lib import graph, STYLE.md dependency rule)', () => {
  it('passes on this repository and prints the graph', async () => {
    const result = await deps(process.cwd());
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/libs\/calculations\s+-> \(nothing\)/);
    expect(result.out).toMatch(/libs\/reporting\s+->.*libs\/progress/);
    expect(result.out).not.toMatch(/libs\/progress\s+->.*libs\/reporting/);
    // The web app's .tsx sources and its `@calculations/*` alias count: it imports the calculations only.
    expect(result.out).toMatch(/apps\/web\s+-> libs\/calculations\n/);
  });

  it('fails on a cycle between libs', async () => {
    const root = fixture({
      'libs/a/src/index.ts': `import { b } from '#libs/b';\nexport const a = b;\n`,
      'libs/b/src/index.ts': `import type { A } from '#libs/a';\nexport const b = 1;\n`,
    });
    const result = await deps(root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('import cycle: libs/a -> libs/b -> libs/a');
  });

  it('fails on each forbidden edge and names the file', async () => {
    const root = fixture({
      'apps/api/src/main.ts': `import { x } from '../../worker/src/main.js';\n`,
      'apps/worker/src/main.ts': `export const x = 1;\n`,
      'libs/progress/src/p.ts': `import { r } from '#libs/reporting';\n`,
      'libs/reporting/src/index.ts': `export const r = 1;\n`,
      'libs/reporting/src/read.ts': `import { ActualEntity } from '#libs/database';\nconst sql = 'SELECT * FROM progress_report';\n`,
      'libs/database/src/index.ts': `export class ActualEntity {}\n`,
      'libs/calculations/src/c.ts': `import { Injectable } from '@nestjs/common';\nimport { Decimal } from 'decimal.js';\n`,
      'libs/logframe/src/l.ts': `import { createProject } from '#libs/testing';\n`,
      'libs/logframe/src/l.spec.ts': `import { createProject } from '#libs/testing';\n`,
      'libs/testing/src/index.ts': `export const createProject = 1;\n`,
      'apps/web/src/ok.tsx': `import { quarterOf } from '@calculations/reporting-period';\n`,
      'apps/web/src/page.tsx': `import { ProjectEntity } from '#libs/database';\n`,
    });
    const result = await deps(root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('app imports app: apps/api/src/main.ts (apps/api) imports apps/worker');
    expect(result.out).toContain('progress must not import reporting: libs/progress/src/p.ts');
    expect(result.out).toContain(
      "reporting reads the progress table of ActualEntity outside libs/progress's read repository: libs/reporting/src/read.ts",
    );
    expect(result.out).toContain(
      "reporting reads the progress table progress_report outside libs/progress's read repository: libs/reporting/src/read.ts",
    );
    expect(result.out).toContain(
      "libs/calculations must import only decimal.js: libs/calculations/src/c.ts imports '@nestjs/common'",
    );
    expect(result.out).toContain('libs/testing is for tests only: libs/logframe/src/l.ts imports it');
    expect(result.out).toContain(
      'the web app imports only libs/calculations: apps/web/src/page.tsx imports libs/database',
    );
    expect(result.out).not.toContain('apps/web/src/ok.tsx');
    // The spec beside it may use libs/testing; decimal.js is allowed in calculations.
    expect(result.out).not.toContain('l.spec.ts');
    expect(result.out).not.toContain("imports 'decimal.js'");
  });
});
