// A tiny RGB24 rasteriser for the demo content: solid shapes only, no anti-aliasing, so every
// pixel is exactly one of the colours drawn (which keeps DensePose part colours on the palette).
export type Rgb = readonly [number, number, number];
export interface Point {
  x: number;
  y: number;
}

/** Optional extra test a pixel centre must pass to be painted (e.g. one half of a shape). */
export type PixelMask = (x: number, y: number) => boolean;

export class RgbCanvas {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(background, i * 3);
  }

  /** Paints every pixel whose centre is inside `inside`, scanning only the bounding box. */
  fillWhere(box: { x0: number; y0: number; x1: number; y1: number }, colour: Rgb, inside: PixelMask, mask?: PixelMask): void {
    const x0 = Math.max(0, Math.floor(box.x0));
    const y0 = Math.max(0, Math.floor(box.y0));
    const x1 = Math.min(this.width - 1, Math.ceil(box.x1));
    const y1 = Math.min(this.height - 1, Math.ceil(box.y1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const cx = x + 0.5;
        const cy = y + 0.5;
        if (inside(cx, cy) && (!mask || mask(cx, cy))) this.data.set(colour, (y * this.width + x) * 3);
      }
    }
  }

  fillEllipse(c: Point, rx: number, ry: number, colour: Rgb, mask?: PixelMask): void {
    const box = { x0: c.x - rx, y0: c.y - ry, x1: c.x + rx, y1: c.y + ry };
    this.fillWhere(box, colour, (x, y) => ((x - c.x) / rx) ** 2 + ((y - c.y) / ry) ** 2 <= 1, mask);
  }

  fillCircle(c: Point, r: number, colour: Rgb, mask?: PixelMask): void {
    this.fillEllipse(c, r, r, colour, mask);
  }

  /** A thick segment with round ends: the limbs. */
  fillCapsule(a: Point, b: Point, r: number, colour: Rgb, mask?: PixelMask): void {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy || 1;
    const box = { x0: Math.min(a.x, b.x) - r, y0: Math.min(a.y, b.y) - r, x1: Math.max(a.x, b.x) + r, y1: Math.max(a.y, b.y) + r };
    this.fillWhere(
      box,
      colour,
      (x, y) => {
        const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / len2));
        return (x - a.x - t * dx) ** 2 + (y - a.y - t * dy) ** 2 <= r * r;
      },
      mask,
    );
  }

  /** A convex polygon, points in either winding order. */
  fillConvex(points: readonly Point[], colour: Rgb, mask?: PixelMask): void {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const box = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    const side = (x: number, y: number, i: number) => {
      const p = points[i];
      const q = points[(i + 1) % points.length];
      return (q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x);
    };
    this.fillWhere(
      box,
      colour,
      (x, y) => {
        let pos = false;
        let neg = false;
        for (let i = 0; i < points.length; i++) {
          const s = side(x, y, i);
          pos ||= s > 0;
          neg ||= s < 0;
        }
        return !(pos && neg);
      },
      mask,
    );
  }
}
