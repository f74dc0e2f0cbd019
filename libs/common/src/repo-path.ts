import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The repository root (the folder whose package.json is `rbm-tracker`), found by walking up from
 * this file, so shipped data (data/sdg, data/samples) is found from sources (Jest) and from dist alike.
 * @throws Error when no such folder exists above this file.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rbm-tracker'
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = resolve(dir, '..');
    if (parent === dir)
      throw new Error('rbm-tracker repository root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** A path inside the repository, e.g. `repoPath('data', 'sdg', 'sdg-framework.extended.json')`. */
export function repoPath(...segments: string[]): string {
  return join(repoRoot(), ...segments);
}
