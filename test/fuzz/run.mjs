#!/usr/bin/env node
// `npm run fuzz -- --count N [--seed S]`: builds, then runs the fuzz suite with N requests (seed S).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '2500' }, seed: { type: 'string', default: '20261130' } },
});
for (const [name, value] of Object.entries(values))
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number`);
    process.exit(2);
  }
const env = {
  ...process.env,
  FUZZ_COUNT: values.count,
  FUZZ_SEED: values.seed,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
};
const result = spawnSync('npx', ['jest', '--runInBand', 'test/fuzz.e2e.spec.ts'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
