// Minimal DER TLV reader. Used where we need exact byte ranges (the signed tbs part of a certificate
// or CRL) or where building an object tree per element would be too slow (large CRLs).

export interface Tlv {
  tag: number; // first identifier octet (class, constructed bit and low tag number)
  start: number; // offset of the identifier octet
  headerLength: number;
  length: number; // length of the value
  valueStart: number;
  end: number; // offset just past the value
}

export class DerError extends Error {}

export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated DER at offset ${offset}`);
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag numbers are not supported (offset ${offset})`);
  let p = offset + 1;
  const first = buf[p++];
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError(`indefinite length is not DER (offset ${offset})`);
    if (n > 6) throw new DerError(`length field too large (offset ${offset})`);
    if (p + n > limit) throw new DerError(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++];
  }
  const valueStart = p;
  const end = valueStart + length;
  if (end > limit) throw new DerError(`element at offset ${offset} runs past the end of its container`);
  return { tag, start: offset, headerLength: valueStart - offset, length, valueStart, end };
}

/** Children of a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function slice(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function value(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.valueStart, t.end);
}

export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Serial number INTEGER value as lower-case hex without a DER sign-padding byte. */
export function integerHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}

/**
 * readTlv without allocating: fills `out` and returns it. Large CRLs walk millions of elements, and
 * one object per element would dominate the cost.
 */
export function readTlvInto(buf: Uint8Array, offset: number, limit: number, out: Tlv): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated DER at offset ${offset}`);
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag numbers are not supported (offset ${offset})`);
  let p = offset + 1;
  let length = buf[p++];
  if (length >= 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw new DerError(`indefinite length is not DER (offset ${offset})`);
    if (n > 6) throw new DerError(`length field too large (offset ${offset})`);
    if (p + n > limit) throw new DerError(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++];
  }
  const end = p + length;
  if (end > limit) throw new DerError(`element at offset ${offset} runs past the end of its container`);
  out.tag = tag;
  out.start = offset;
  out.headerLength = p - offset;
  out.length = length;
  out.valueStart = p;
  out.end = end;
  return out;
}

export function emptyTlv(): Tlv {
  return { tag: 0, start: 0, headerLength: 0, length: 0, valueStart: 0, end: 0 };
}

function digits(buf: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = buf[p + i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * UTCTime (tag 0x17) or GeneralizedTime (0x18) as milliseconds since the epoch; NaN when malformed.
 * RFC 5280 4.1.2.5: UTCTime years 50-99 are 19xx; both forms are UTC ("Z"), GeneralizedTime may carry
 * fractional seconds.
 */
export function timeMs(buf: Uint8Array, t: Tlv): number {
  const p = t.valueStart;
  let year: number;
  let q: number;
  if (t.tag === 0x17) {
    if (t.length < 11) return NaN;
    const yy = digits(buf, p, 2);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    q = p + 2;
  } else if (t.tag === 0x18) {
    if (t.length < 13) return NaN;
    year = digits(buf, p, 4);
    q = p + 4;
  } else return NaN;
  const month = digits(buf, q, 2);
  const day = digits(buf, q + 2, 2);
  const hour = digits(buf, q + 4, 2);
  const minute = digits(buf, q + 6, 2);
  q += 8;
  let second = 0;
  let ms = 0;
  if (q < t.end && buf[q] !== 0x5a /* Z */) {
    second = digits(buf, q, 2);
    q += 2;
    if (q < t.end && (buf[q] === 0x2e || buf[q] === 0x2c)) {
      q++;
      let scale = 100;
      while (q < t.end && buf[q] >= 0x30 && buf[q] <= 0x39) {
        ms += (buf[q] - 0x30) * scale;
        scale /= 10;
        q++;
      }
      ms = Math.floor(ms);
    }
  }
  if (q !== t.end - 1 || buf[q] !== 0x5a) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** INTEGER contents (two's complement, big-endian) as a bigint. */
export function integerBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[0] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}
