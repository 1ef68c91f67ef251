// A report's JSON text, assembled from pieces cached by object identity. A running diagnosis publishes its report
// again and again while only the summary and a few checks change; the input section (thousands of certificates in a
// big upload) and every finished check are the same objects each time, so they are serialised once. Report parts are
// never changed in place once built (the runner, the jobs and the stores make new objects), which is what makes the
// identity a safe cache key.
import type { Report } from './schema';

const pieces = new WeakMap<object, string>();

function piece(o: object): string {
  let s = pieces.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    pieces.set(o, s);
  }
  return s;
}

/** The same data as JSON.stringify(report) (input and checks come last). */
export function reportJson(r: Report): string {
  const { input, checks, ...rest } = r;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"input":${piece(input)},"checks":[${checks.map(piece).join(',')}]}`;
}

/** JSON of one part of a report (a check, its evidence), cached like reportJson's pieces. */
export function partJson(o: object): string {
  return piece(o);
}
