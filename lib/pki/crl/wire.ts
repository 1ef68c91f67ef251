// A parsed CRL crossing a thread boundary. Functions cannot be cloned, and the entry list is nearly all of a CRL's
// bytes, so only the header fields travel; the receiving side keeps the bytes the CRL was parsed from and parses
// them again, once and only if something walks the entries (revocation does that on a worker thread).
import { parseCrl } from './parse';
import type { ParsedCrl } from './types';

export type CrlFields = Omit<ParsedCrl, 'forEachEntry' | 'scan' | 'findSerials' | 'tbs'>;

/** Views into a buffer much larger than themselves get their own copy, so a header field never drags a 100 MB CRL along. */
function compact<T>(v: T): T {
  if (v instanceof Uint8Array) return (v.byteLength * 2 < v.buffer.byteLength && v.buffer.byteLength > 64 * 1024 ? v.slice() : v) as T;
  if (Array.isArray(v)) return v.map(compact) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)])) as T;
  return v;
}

/** The header fields of a parsed CRL, safe to post to another thread. */
export function crlFields(c: ParsedCrl): CrlFields {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { forEachEntry, scan, findSerials, tbs, ...fields } = c;
  return compact(fields);
}

const BYTES = new WeakMap<ParsedCrl, Uint8Array>();

/** A CRL rebuilt from its fields and the bytes it was parsed from (DER or PEM, as given to parseCrl). */
export function crlFromFields(fields: CrlFields, bytes: Uint8Array): ParsedCrl {
  let full: ParsedCrl | undefined;
  const parsed = () => (full ??= parseCrl(bytes, fields.source));
  const crl: ParsedCrl = {
    ...fields,
    get tbs() {
      return parsed().tbs;
    },
    forEachEntry: (cb) => parsed().forEachEntry(cb),
    scan: (serials, opts) => parsed().scan(serials, opts),
    findSerials: (serials) => parsed().findSerials(serials),
  };
  BYTES.set(crl, bytes);
  return crl;
}

/** Records what a CRL parsed in this thread was parsed from, so it can be sent to a worker as bytes. */
export function rememberCrlBytes(crl: ParsedCrl, bytes: Uint8Array): ParsedCrl {
  BYTES.set(crl, bytes);
  return crl;
}

/** The bytes a CRL was parsed from, when known. */
export function crlBytes(crl: ParsedCrl): Uint8Array | undefined {
  return BYTES.get(crl);
}
