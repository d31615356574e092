/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const hex = (v: number) =>
  Math.round(Math.max(0, Math.min(255, v)))
    .toString(16)
    .padStart(2, '0');

/**
 * The server picks each person's colour by hue, so people stay apart; some hues (yellow, green,
 * cyan) are too light for white text. This darkens such a colour, keeping its hue, until white
 * on it reaches `min` (4.5:1 plus a margin for rounding).
 */
export function readableOnWhiteText(color: string, min = 4.6): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return '#525252';
  const n = parseInt(color.slice(1), 16);
  const rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  for (let f = 1; f > 0; f -= 0.02) {
    const c = `#${rgb.map((v) => hex(v * f)).join('')}`;
    if (contrast(c, '#ffffff') >= min) return c;
  }
  return '#000000';
}
