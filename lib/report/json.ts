// A report's JSON text, assembled from pieces cached by object identity. A running diagnosis publishes its report
// again and again while only the summary and a few checks change; the input section (thousands of certificates in a
// big upload) and every finished check are the same objects each time, so they are serialised once. Report parts are
// never changed in place once built (the runner, the jobs and the stores make new objects), which is what makes the
// identity a safe cache key.
import type { Report } from './schema';

interface Piece {
  text: string;
  bytes: number;
}

// One cache per process: the bundler may include this module in several chunks (the runner's, the store's), and a
// cache per copy would serialise every piece once per copy.
const KEY = Symbol.for('cba-doctor.report-json-pieces');
const pieces: WeakMap<object, Piece> = ((globalThis as { [KEY]?: WeakMap<object, Piece> })[KEY] ??= new WeakMap());

function piece(o: object): Piece {
  let p = pieces.get(o);
  if (p === undefined) {
    const text = JSON.stringify(o);
    p = { text, bytes: Buffer.byteLength(text) };
    pieces.set(o, p);
  }
  return p;
}

function parts(r: Report): { head: string; input: Piece; checks: Piece[] } {
  const { input, checks, ...rest } = r;
  const head = JSON.stringify(rest);
  return { head: `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}`, input: piece(input), checks: checks.map(piece) };
}

/** The same data as JSON.stringify(report) (input and checks come last). */
export function reportJson(r: Report): string {
  const p = parts(r);
  return `${p.head}"input":${p.input.text},"checks":[${p.checks.map((c) => c.text).join(',')}]}`;
}

/** Buffer.byteLength(reportJson(r)), without building the text. */
export function reportJsonBytes(r: Report): number {
  const p = parts(r);
  const frame = Buffer.byteLength(`${p.head}"input":,"checks":[]}`) + Math.max(0, p.checks.length - 1);
  return frame + p.input.bytes + p.checks.reduce((n, c) => n + c.bytes, 0);
}

/** UTF-8 bytes of one part of a report (a check's evidence), cached like reportJson's pieces. */
export function partJsonBytes(o: object): number {
  return piece(o).bytes;
}
