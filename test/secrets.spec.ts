import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '#libs/common';

const root = repoRoot();

describe('no default secret', () => {
  it('docker-compose requires JWT_SECRET for every production service and commits no value', () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; build?: unknown }>;
    };
    const production = Object.entries(compose.services).filter(([, s]) => s.environment?.NODE_ENV === 'production');
    // migrate, api and worker run the product in production mode.
    expect(production.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
    for (const [, service] of production) expect(service.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
  });

  it('holds no signing-secret literal in any tracked file', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !/(^|\/)package-lock\.json$|\.(png|jpe?g|pdf|xlsx|zip|gz|woff2?|ttf|otf)$/.test(f));
    // A secret written as a quoted literal of 8+ characters (TS, JSON, YAML, Markdown) or as an
    // unquoted YAML/env value that is not a `${...}` substitution.
    const quoted = /(jwt_secret|secret|secretOrPrivateKey|privateKey)['"]?\s*[:=]\s*['"`][^'"`$]{8,}['"`]/i;
    const unquoted = /^\s*(export\s+)?JWT_SECRET\s*[:=]\s*(?!\$\{|\$\(|["'`]|$)\S+/;
    const hits: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      text.split('\n').forEach((line, i) => {
        if (quoted.test(line) || unquoted.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(files.length).toBeGreaterThan(100);
    expect(hits).toEqual([]);
  });

  it('refuses to start the API in production without JWT_SECRET, naming it', () => {
    const run = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('JWT_SECRET: JWT_SECRET must be set to 32 or more characters in production');
  });
});
