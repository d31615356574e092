import { describe, expect, it } from 'vitest';
import { normalise } from './position';

describe('normalise', () => {
  const box = { left: 100, top: 50, width: 400, height: 200 };

  it('gives fractions of the box', () => {
    expect(normalise(300, 100, box)).toEqual({ x: 0.5, y: 0.25 });
    expect(normalise(100, 50, box)).toEqual({ x: 0, y: 0 });
    expect(normalise(500, 250, box)).toEqual({ x: 1, y: 1 });
  });

  it('is null outside the box or for an empty box', () => {
    expect(normalise(99, 100, box)).toBeNull();
    expect(normalise(300, 251, box)).toBeNull();
    expect(normalise(0, 0, { left: 0, top: 0, width: 0, height: 0 })).toBeNull();
  });
});
