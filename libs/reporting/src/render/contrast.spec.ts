import { describe, expect, it } from '@jest/globals';
import { INDICATOR_STATUSES } from '#libs/calculations';
import { contrastRatio } from './contrast.js';
import { STATUS_COLOURS, STATUS_LABELS, STATUS_TEXT_COLOURS } from './presentation.js';

describe('status palette', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#FFFFFF')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#FFFFFF', '#FFFFFF')).toBe(1);
    expect(() => contrastRatio('green', '#FFFFFF')).toThrow(TypeError);
  });

  it('writes every status label in a colour meeting WCAG AA (4.5:1) on the status colour', () => {
    const ratios = INDICATOR_STATUSES.map((s) => ({
      status: STATUS_LABELS[s],
      ratio: Math.round(contrastRatio(STATUS_TEXT_COLOURS[s], STATUS_COLOURS[s]) * 100) / 100,
    }));
    for (const r of ratios) expect({ ...r, aa: r.ratio >= 4.5 }).toEqual({ ...r, aa: true });
    // The example: "Exceeded" is no longer black on dark green.
    expect(STATUS_TEXT_COLOURS.exceeded).toBe('#FFFFFF');
  });
});
