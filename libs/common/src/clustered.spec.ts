import { describe, expect, it } from '@jest/globals';
import { heapLimitArgs } from './clustered.js';

describe('heapLimitArgs', () => {
  it('bounds the old space to the megabytes given', () => {
    expect(heapLimitArgs(512, [])).toEqual(['--max-old-space-size=512']);
    expect(heapLimitArgs(512, ['--enable-source-maps'])).toEqual(['--max-old-space-size=512']);
  });

  it('adds nothing for 0 (V8 default) or when the process was started with a limit', () => {
    expect(heapLimitArgs(0, [])).toEqual([]);
    expect(heapLimitArgs(512, ['--max-old-space-size=2048'])).toEqual([]);
    expect(heapLimitArgs(512, ['--max_old_space_size=300'])).toEqual([]);
  });
});
