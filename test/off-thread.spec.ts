import { describe, expect, it } from '@jest/globals';
import { MAX_PARALLEL_TASKS, runOffThread } from '#libs/common';

// Needs the build (the worker imports #libs/common from dist): npm test builds first.
const script = new URL('./fixtures/off-thread-concurrency.worker.mjs', import.meta.url);
const limits = { timeoutMs: 60_000, heapMb: 32 };

describe('runOffThread: at most MAX_PARALLEL_TASKS tasks at once per process', () => {
  it('runs 5 tasks 2 at a time: 3 started together, 2 more the moment the first answers', async () => {
    const shared = new SharedArrayBuffer(8);
    const counters = new Int32Array(shared);
    const outcomes: Promise<unknown>[] = [];
    const start = () => outcomes.push(runOffThread<number>(script, { shared, waitMs: 3000 }, limits));
    for (let i = 0; i < 3; i += 1) start();
    // Two more callers arrive the moment the first task's answer is in, while the other two run or wait.
    void outcomes[0].then(() => {
      start();
      start();
    });
    await outcomes[0];
    const values = (await Promise.all(outcomes)) as { ok: boolean; value: number }[];
    expect(values).toHaveLength(5);
    expect(values.every((v) => v.ok)).toBe(true);
    // Each task saw 1 or 2 running (itself included) as it left: two ran together, never three.
    expect(MAX_PARALLEL_TASKS).toBe(2);
    expect(Math.max(...values.map((v) => v.value))).toBe(2);
    expect(Atomics.load(counters, 1)).toBe(2);
    expect(Atomics.load(counters, 0)).toBe(0);
  });
});
