// Certificates crossing a thread boundary. A parsed certificate is hundreds of small objects, and cloning thousands
// of them costs the sending thread as much as parsing (5,000 took ~0.5 s to serialise, a stall of the portal's event
// loop); so a certificate pool travels as DER (one buffer) and is parsed again on the worker, results name
// certificates by ref, and the one bulky field, the asn1-x509 tree, never travels: it is rebuilt on first use.
import { AsnConvert } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import { parseCertificate, type Cert } from './cert';
import type { CertEntry } from './types';

/** A certificate without its asn1-x509 tree (classes do not survive cloning; nothing else references them). */
export type CertFields = Omit<Cert, 'asn'>;

export function certFields(c: Cert): CertFields {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { asn, ...fields } = c;
  return fields;
}

/** A certificate again, with `asn` parsed from the DER the first time something reads it. */
export function certFromFields(f: CertFields): Cert {
  let asn: x.Certificate | undefined;
  return Object.defineProperty(f, 'asn', {
    get: () => (asn ??= AsnConvert.parse(f.der, x.Certificate)),
    enumerable: false,
    configurable: true,
  }) as Cert;
}

export interface PackedEntries {
  entries: Omit<CertEntry, 'cert'>[];
  /** Every certificate's DER back to back; ends[i] is where entry i ends. */
  der: Uint8Array;
  ends: number[];
}

export function packEntries(list: CertEntry[]): PackedEntries {
  const der = new Uint8Array(list.reduce((n, e) => n + e.cert.der.byteLength, 0));
  const ends: number[] = [];
  let p = 0;
  for (const e of list) {
    der.set(e.cert.der, p);
    p += e.cert.der.byteLength;
    ends.push(p);
  }
  return { entries: list.map(({ cert: _c, ...meta }) => meta), der, ends };
}

export function unpackEntries(p: PackedEntries): CertEntry[] {
  return p.entries.map((meta, i) => ({ ...meta, cert: parseCertificate(p.der.slice(i ? p.ends[i - 1] : 0, p.ends[i])) }));
}

/** A reference to a CertEntry the receiving side already has. */
export interface EntryStub {
  $entry: string;
}

function isEntry(v: object): v is CertEntry {
  const e = v as Partial<CertEntry>;
  return typeof e.ref === 'string' && !!e.cert && typeof e.cert === 'object' && typeof e.cert.sha256 === 'string';
}

/** Replaces every CertEntry inside a value (a chain, a result) by a stub naming its ref. */
export function stubEntries<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stubEntries) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    if (isEntry(v)) return { $entry: v.ref } as T;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stubEntries(x)])) as T;
  }
  return v;
}

/** Puts the entries back in place of their stubs; a stub for an unknown ref is an error, not a silent gap. */
export function resolveEntries<T>(v: T, byRef: Map<string, CertEntry>): T {
  if (Array.isArray(v)) return v.map((x) => resolveEntries(x, byRef)) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const ref = (v as Partial<EntryStub>).$entry;
    if (typeof ref === 'string') {
      const e = byRef.get(ref);
      if (!e) throw new Error(`a worker result names certificate ${ref}, which this diagnosis does not have`);
      return e as T;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveEntries(x, byRef)])) as T;
  }
  return v;
}

export function byRef(...lists: (CertEntry[] | undefined)[]): Map<string, CertEntry> {
  const m = new Map<string, CertEntry>();
  for (const l of lists) for (const e of l ?? []) if (!m.has(e.ref)) m.set(e.ref, e);
  return m;
}
