import { describe, expect, it } from 'vitest';
import { contrast, readableOnWhiteText } from './colors';

/** What the server's color_for() makes: HSL with s 0.70, l 0.42, any hue. */
function serverColor(hue: number) {
  const s = 0.7;
  const l = 0.42;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60
      ? [c, x, 0]
      : hue < 120
        ? [x, c, 0]
        : hue < 180
          ? [0, c, x]
          : hue < 240
            ? [0, x, c]
            : hue < 300
              ? [x, 0, c]
              : [c, 0, x];
  return `#${[r, g, b]
    .map((v) =>
      Math.round((v + m) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

describe('readableOnWhiteText', () => {
  it('gives white text at least 4.5:1 on every hue the server can pick', () => {
    for (let hue = 0; hue < 360; hue++) {
      const c = readableOnWhiteText(serverColor(hue));
      expect(contrast(c, '#ffffff'), `hue ${hue}: ${c}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps colours that are already dark, and keeps hues apart', () => {
    expect(readableOnWhiteText('#1d4ed8')).toBe('#1d4ed8');
    expect(readableOnWhiteText(serverColor(60))).not.toBe(readableOnWhiteText(serverColor(180)));
    // hue is kept: the greenish one stays greener than red and blue
    const g = parseInt(readableOnWhiteText(serverColor(120)).slice(3, 5), 16);
    const r = parseInt(readableOnWhiteText(serverColor(120)).slice(1, 3), 16);
    expect(g).toBeGreaterThan(r);
  });

  it('falls back to a dark grey for something that is not #rrggbb', () => {
    expect(readableOnWhiteText('red')).toBe('#525252');
  });
});
