// Shape algebra for static and symbolic dims. A symbolic dim is a string: a product of symbol names
// with an optional integer coefficient in front ("batch", "16*batch", "batch*frames"). Products are
// normalised (coefficient first, symbols sorted) so equal dims compare equal as strings.

import { GraphBuildError, type Dim, type Shape } from './graph';

function factors(d: Dim): { coef: number; syms: string[] } {
  if (typeof d === 'number') return { coef: d, syms: [] };
  let coef = 1;
  const syms: string[] = [];
  for (const part of d.split('*')) {
    const p = part.trim();
    if (/^\d+$/.test(p)) coef *= Number(p);
    else if (p) syms.push(p);
  }
  return { coef, syms };
}

function compose(coef: number, syms: string[]): Dim {
  if (syms.length === 0) return coef;
  const sorted = [...syms].sort();
  return coef === 1 ? sorted.join('*') : `${coef}*${sorted.join('*')}`;
}

export function normDim(d: Dim): Dim {
  const f = factors(d);
  return compose(f.coef, f.syms);
}

export function mulDims(...dims: Dim[]): Dim {
  let coef = 1;
  const syms: string[] = [];
  for (const d of dims) {
    const f = factors(d);
    coef *= f.coef;
    syms.push(...f.syms);
  }
  return compose(coef, syms);
}

/** a / b where b is a factor of a (a number, or a symbol/coefficient present in a). */
export function divDim(a: Dim, b: Dim): Dim {
  const fa = factors(a);
  const fb = factors(b);
  if (fa.coef % fb.coef !== 0) throw new GraphBuildError(`cannot divide dim ${a} by ${b}`);
  const syms = [...fa.syms];
  for (const s of fb.syms) {
    const i = syms.indexOf(s);
    if (i < 0) throw new GraphBuildError(`cannot divide dim ${a} by ${b}`);
    syms.splice(i, 1);
  }
  return compose(fa.coef / fb.coef, syms);
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  return normDim(a) === normDim(b);
}

export function numel(shape: Shape): Dim {
  return mulDims(...shape);
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Numpy broadcasting with symbolic dims: equal dims, or one of them is 1. */
export function broadcastShapes(a: Shape, b: Shape, where: string): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (dimsEqual(da, db) || db === 1) out.push(normDim(da));
    else if (da === 1) out.push(normDim(db));
    else throw new GraphBuildError(`${where}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
  }
  return out;
}

/** Normalises a possibly negative axis. */
export function axisOf(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new GraphBuildError(`${where}: axis ${axis} out of range for rank ${rank}`);
  return a;
}

export function expectShape(actual: Shape, expected: Shape, where: string, what: string): void {
  const same = actual.length === expected.length && actual.every((d, i) => dimsEqual(d, expected[i]));
  if (!same) throw new GraphBuildError(`${where}: ${what} has shape ${fmtShape(actual)}, expected ${fmtShape(expected)}`);
}

/** The static value of a dim, or a build error when it is symbolic. */
export function staticDim(d: Dim, where: string, what: string): number {
  if (typeof d !== 'number') throw new GraphBuildError(`${where}: ${what} must be static, got ${d}`);
  return d;
}
