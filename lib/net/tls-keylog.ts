// TLS 1.3 encrypts the server's CertificateRequest. Node hands out the handshake secrets through the
// TLSSocket 'keylog' event (NSS key log format), so the records captured beneath the socket can be
// decrypted here (RFC 8446 section 5.2 and 7.3) and the CA names read like in TLS 1.2.
import { createDecipheriv, createHmac } from 'node:crypto';
import { CONTENT, HANDSHAKE, HandshakeReader, parseServerHello, splitRecords, TlsParseError, type HandshakeMessage } from './tls-records';

interface Suite {
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  keyLen: number;
  hash: 'sha256' | 'sha384';
}

const TLS13_SUITES: Record<number, Suite> = {
  0x1301: { cipher: 'aes-128-gcm', keyLen: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLen: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLen: 32, hash: 'sha256' },
};

function hkdfExpand(hash: string, prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    prev = createHmac(hash, prk).update(Buffer.concat([prev, info, Buffer.from([i])])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

export function hkdfExpandLabel(hash: string, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  return hkdfExpand(hash, secret, info, length);
}

/** Reads SERVER_HANDSHAKE_TRAFFIC_SECRET from NSS key log lines. */
export function serverHandshakeSecret(lines: string[]): Buffer | undefined {
  for (const l of lines) {
    const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)\s*$/i.exec(l.trim());
    if (m) return Buffer.from(m[1], 'hex');
  }
  return undefined;
}

export interface DecryptedFlight {
  cipherSuite: number;
  /** The server's handshake messages after ServerHello (EncryptedExtensions ... Finished). */
  messages: HandshakeMessage[];
}

/**
 * Decrypts the server's TLS 1.3 handshake flight from the raw bytes the server sent, given the server
 * handshake traffic secret. Stops at the server Finished; records after it use other keys.
 */
export function decryptServerFlight(serverBytes: Buffer, secret: Buffer): DecryptedFlight {
  const { records } = splitRecords(serverBytes);
  const plain = new HandshakeReader();
  let suite: Suite | undefined;
  let cipherSuite = 0;
  let key: Buffer | undefined;
  let iv: Buffer | undefined;
  let seq = 0n;
  const enc = new HandshakeReader();
  const messages: HandshakeMessage[] = [];
  for (const r of records) {
    if (r.type === CONTENT.changeCipherSpec) continue; // middlebox compatibility, never encrypted
    if (r.type === CONTENT.alert && !key) throw new TlsParseError('the server sent an alert before its encrypted flight');
    if (r.type === CONTENT.handshake && !key) {
      for (const m of plain.push(r.fragment)) {
        if (m.type !== HANDSHAKE.serverHello) continue;
        const sh = parseServerHello(m.body);
        if (sh.helloRetry) continue;
        if (sh.version !== 0x0304) throw new TlsParseError('the server did not negotiate TLS 1.3');
        suite = TLS13_SUITES[sh.cipherSuite];
        if (!suite) throw new TlsParseError(`unknown TLS 1.3 cipher suite 0x${sh.cipherSuite.toString(16)}`);
        cipherSuite = sh.cipherSuite;
        key = hkdfExpandLabel(suite.hash, secret, 'key', Buffer.alloc(0), suite.keyLen);
        iv = hkdfExpandLabel(suite.hash, secret, 'iv', Buffer.alloc(0), 12);
      }
      continue;
    }
    if (r.type !== CONTENT.applicationData || !key || !iv || !suite) continue;
    if (r.fragment.length < 17) throw new TlsParseError('encrypted record too short');
    const nonce = Buffer.from(iv);
    for (let i = 0; i < 8; i++) nonce[11 - i] ^= Number((seq >> BigInt(8 * i)) & 0xffn);
    seq++;
    const d = createDecipheriv(suite.cipher, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createDecipheriv> & {
      setAAD(b: Buffer, o?: object): void;
      setAuthTag(b: Buffer): void;
    };
    d.setAAD(r.header, { plaintextLength: r.fragment.length - 16 });
    d.setAuthTag(r.fragment.subarray(r.fragment.length - 16));
    let inner: Buffer;
    try {
      inner = Buffer.concat([d.update(r.fragment.subarray(0, r.fragment.length - 16)), d.final()]);
    } catch {
      throw new TlsParseError('could not decrypt the server handshake (the key log did not match the captured records)');
    }
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) throw new TlsParseError('decrypted record has no content type');
    const type = inner[end - 1];
    if (type === CONTENT.alert) break;
    if (type !== CONTENT.handshake) continue;
    for (const m of enc.push(inner.subarray(0, end - 1))) {
      messages.push(m);
      if (m.type === HANDSHAKE.finished) return { cipherSuite, messages };
    }
  }
  if (!key) throw new TlsParseError('no TLS 1.3 ServerHello in the captured bytes');
  return { cipherSuite, messages };
}
