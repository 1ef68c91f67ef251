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
