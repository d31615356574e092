export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A client point as fractions (0..1) of the box, or null when it is outside. */
export function normalise(clientX: number, clientY: number, box: Box): Point | null {
  if (box.width <= 0 || box.height <= 0) return null;
  const x = (clientX - box.left) / box.width;
  const y = (clientY - box.top) / box.height;
  if (x < 0 || x > 1 || y < 0 || y > 1) return null;
  // Four decimals are finer than a pixel on any screen and keep frames short.
  return { x: Math.round(x * 1e4) / 1e4, y: Math.round(y * 1e4) / 1e4 };
}

/** The form the pointers are relative to: the same fields for the holder and the viewers. */
export function formIn(container: HTMLElement): HTMLElement {
  return container.querySelector<HTMLElement>('form') ?? container;
}
