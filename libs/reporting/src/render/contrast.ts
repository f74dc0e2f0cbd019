/**
 * WCAG 2.x contrast between two sRGB colours `#RRGGBB`: (L1 + 0.05) / (L2 + 0.05) with L the
 * relative luminance of the lighter and the darker colour; from 1 (same) to 21 (black on white).
 * WCAG AA asks 4.5 for normal text. Throws a TypeError for a colour not written `#RRGGBB`.
 */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new TypeError(`Not a #RRGGBB colour: ${hex}`);
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
