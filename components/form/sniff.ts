// A quick look inside a chosen file, in the browser, so a PFX or a private key is refused before any upload.
// The server checks again (lib/report/service.ts); this only spares the user a round trip.

function derLength(b: Uint8Array, at: number): [len: number, next: number] | undefined {
  const first = b[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4) return undefined;
  let len = 0;
  for (let i = 1; i <= n; i++) len = len * 256 + (b[at + i] ?? 0);
  return [len, at + 1 + n];
}

export type Sniffed = 'pkcs12' | 'private-key' | 'ok';

export function sniffBytes(b: Uint8Array): Sniffed {
  const head = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 256 * 1024)));
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(head)) return 'private-key';
  if (head.includes('-----BEGIN ')) return 'ok';
  // DER PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID data | signedData ... } ... }
  if (b[0] === 0x30) {
    const l = derLength(b, 1);
    if (l && b[l[1]] === 0x02 && b[l[1] + 1] === 0x01 && b[l[1] + 2] === 0x03 && b[l[1] + 3] === 0x30) return 'pkcs12';
    // PKCS#8 / RSA / EC private keys: SEQUENCE { INTEGER 0|1, ... } where a certificate starts SEQUENCE { SEQUENCE ...
    if (l && b[l[1]] === 0x02 && b[l[1] + 1] === 0x01 && (b[l[1] + 2] === 0x00 || b[l[1] + 2] === 0x01)) return 'private-key';
  }
  return 'ok';
}

export async function sniffFile(f: File): Promise<Sniffed> {
  return sniffBytes(new Uint8Array(await f.slice(0, 256 * 1024).arrayBuffer()));
}
