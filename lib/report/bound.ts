// Reports stay small whatever was uploaded. A certificate's long fields (a 1 MB subject) are stored once, in
// input.certificates; evidence, summaries and remediation show them cut at a sane length with the full length
// stated and, where the value is such a field, where the full value is. Above a cap of twice the input plus 1 MB,
// the largest evidence is left out, and the report says so.
import { partJsonBytes, reportJsonBytes } from './json';
import type { CheckResult, Remediation, Report } from './schema';

/** Longest string kept whole inside evidence. */
export const MAX_EVIDENCE_STRING = 1_000;
/** Longest summary or remediation text kept whole. */
export const MAX_TEXT = 2_000;
/** Longest ready-to-run command kept (a longer one is left out: a cut command would be wrong). */
export const MAX_COMMAND = 8_000;
const MB = 1024 * 1024;

/** A report's JSON may be this many bytes (UTF-8) for an input of `inputBytes`. */
export function reportCap(inputBytes: number): number {
  return 2 * inputBytes + MB;
}

const n = (x: number) => x.toLocaleString('en-US');

/** `s` cut to `max` characters, saying how long it was and where the whole value is, if anywhere. */
export function cut(s: string, max: number, whole?: string): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… [cut: ${n(s.length)} characters in all${whole ? `; the full value is ${whole}` : ''}]`;
}

const longFieldsCache = new WeakMap<object, Map<string, string>>();

/**
 * Where the full value of each certificate field longer than MAX_EVIDENCE_STRING is kept; computed once per input
 * section (the runner hands the same one to every progress update).
 */
function longFields(r: Pick<Report, 'input'>): Map<string, string> {
  const cached = longFieldsCache.get(r.input.certificates);
  if (cached) return cached;
  const out = new Map<string, string>();
  for (const c of r.input.certificates)
    for (const f of ['subject', 'issuer', 'serialNumber', 'fileName'] as const) {
      const v = c[f];
      if (typeof v === 'string' && v.length > MAX_EVIDENCE_STRING && !out.has(v)) out.set(v, `the ${f} of certificate ${c.ref} in input.certificates`);
    }
  longFieldsCache.set(r.input.certificates, out);
  return out;
}

// A finished check is bounded once per set of long fields: the runner publishes the same result objects many times.
const boundCache = new WeakMap<CheckResult, { fields: Map<string, string>; bounded: CheckResult }>();

function boundCheckOnce(c: CheckResult, fields: Map<string, string>): CheckResult {
  const hit = boundCache.get(c);
  if (hit && hit.fields === fields) return hit.bounded;
  const bounded = boundCheck(c, fields);
  boundCache.set(c, { fields, bounded });
  return bounded;
}

function boundValue(v: unknown, max: number, fields: Map<string, string>): unknown {
  if (typeof v === 'string') {
    if (v.length <= max) return v;
    // A long certificate field also appears inside longer strings ("CN=... breaks the rule"): name it once.
    const where = fields.get(v) ?? [...fields].find(([f]) => v.includes(f.slice(0, 200)))?.[1];
    return cut(v, max, where);
  }
  if (Array.isArray(v)) return v.map((x) => boundValue(x, max, fields));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, boundValue(x, max, fields)]));
  return v;
}

function boundRemediation(m: Remediation, fields: Map<string, string>): Remediation {
  const text = boundValue(m.text, MAX_TEXT, fields) as string;
  if (!m.command || m.command.length <= MAX_COMMAND) return { ...m, text };
  const { command: _dropped, ...rest } = m;
  return { ...rest, text: `${text} (The ready-made command is left out: it would be ${n(m.command.length)} characters long, because of a very long value.)` };
}

export function boundCheck(c: CheckResult, fields: Map<string, string>): CheckResult {
  return {
    ...c,
    summary: boundValue(c.summary, MAX_TEXT, fields) as string,
    evidence: boundValue(c.evidence, MAX_EVIDENCE_STRING, fields) as CheckResult['evidence'],
    remediation: c.remediation.map((m) => boundRemediation(m, fields)),
  };
}


/**
 * The report with long values cut, and, when its JSON still exceeds `reportCap(inputBytes)`, the largest evidence
 * replaced by a note saying it was left out (largest first, until the report fits).
 */
export function boundReport(r: Report, inputBytes: number): Report {
  const fields = longFields(r);
  let checks = r.checks.map((c) => boundCheckOnce(c, fields));
  const cap = reportCap(inputBytes);
  let total = reportJsonBytes({ ...r, checks });
  if (total > cap) {
    const bySize = checks.map((c, i) => ({ i, size: partJsonBytes(c.evidence) })).sort((a, b) => b.size - a.size);
    checks = [...checks];
    for (const { i, size } of bySize) {
      if (total <= cap || size < 200) break;
      const note = { trimmed: `Evidence left out (${n(size)} bytes): the report reached its size cap of ${n(cap)} bytes (twice the uploaded input plus 1 MB).` };
      checks[i] = { ...checks[i], evidence: note };
      total -= size - partJsonBytes(note);
    }
  }
  return { ...r, checks };
}

/** Bytes of what was uploaded or given: certificate files, CRL files and pasted text. */
export function inputBytes(input: { files: { bytes: Uint8Array }[]; crlFiles?: { bytes: Uint8Array }[]; pasted?: { text: string }[] }): number {
  return (
    input.files.reduce((s, f) => s + f.bytes.length, 0) +
    (input.crlFiles ?? []).reduce((s, f) => s + f.bytes.length, 0) +
    (input.pasted ?? []).reduce((s, p) => s + Buffer.byteLength(p.text), 0)
  );
}
