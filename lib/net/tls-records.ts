// TLS wire format pieces used by the client-certificate request probe: building a TLS 1.2 ClientHello,
// splitting records and handshake messages, and reading a CertificateRequest (TLS 1.0-1.2 and 1.3).
import { randomBytes } from 'node:crypto';
import { parseName } from '@/lib/pki/name';
import { toHex } from '@/lib/pki/der';

export const CONTENT = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
export const HANDSHAKE = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  finished: 20,
} as const;

export const VERSION_NAMES: Record<number, string> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

export const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 22: 'record_overflow', 40: 'handshake_failure',
  42: 'bad_certificate', 43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired',
  46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error',
  51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 109: 'missing_extension', 110: 'unsupported_extension',
  112: 'unrecognized_name', 116: 'certificate_required', 120: 'no_application_protocol',
};

export const CERT_TYPE_NAMES: Record<number, string> = {
  1: 'rsa_sign', 2: 'dss_sign', 3: 'rsa_fixed_dh', 4: 'dss_fixed_dh', 5: 'rsa_ephemeral_dh', 6: 'dss_ephemeral_dh',
  20: 'fortezza_dms', 64: 'ecdsa_sign', 65: 'rsa_fixed_ecdh', 66: 'ecdsa_fixed_ecdh',
};

export const SIGALG_NAMES: Record<number, string> = {
  0x0201: 'rsa_pkcs1_sha1', 0x0202: 'dsa_sha1', 0x0203: 'ecdsa_sha1',
  0x0301: 'rsa_pkcs1_sha224', 0x0302: 'dsa_sha224', 0x0303: 'ecdsa_sha224',
  0x0401: 'rsa_pkcs1_sha256', 0x0402: 'dsa_sha256', 0x0403: 'ecdsa_secp256r1_sha256',
  0x0501: 'rsa_pkcs1_sha384', 0x0502: 'dsa_sha384', 0x0503: 'ecdsa_secp384r1_sha384',
  0x0601: 'rsa_pkcs1_sha512', 0x0602: 'dsa_sha512', 0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256', 0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519', 0x0808: 'ed448', 0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512',
};

// Offered in the TLS 1.2 probe: modern suites first, then the RSA and CBC suites older AD FS and WAP
// servers (Windows Server 2012 R2) still negotiate. The handshake is never completed, so offering a
// suite costs nothing; the goal is only that the server picks one and sends its first flight.
export const CIPHER_SUITES: Record<number, string> = {
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
};

const TLS12_SUITES = Object.keys(CIPHER_SUITES)
  .map(Number)
  .filter((s) => s < 0x1300 || s > 0x13ff);

export function suiteName(s: number): string {
  return CIPHER_SUITES[s] ?? `0x${s.toString(16).padStart(4, '0')}`;
}

const u8 = (n: number) => [n & 0xff];
const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const vec16 = (b: number[]) => [...u16(b.length), ...b];
const vec8 = (b: number[]) => [...u8(b.length), ...b];
const ext = (type: number, body: number[]) => [...u16(type), ...vec16(body)];

/**
 * A ClientHello that offers TLS 1.2 at most (no supported_versions extension), with SNI. Without
 * supported_versions a TLS 1.3 server must answer in TLS 1.2 or refuse, so its CertificateRequest
 * travels in clear.
 */
export function buildClientHello12(servername?: string): Buffer {
  const exts: number[] = [];
  if (servername) {
    const name = [...Buffer.from(servername, 'ascii')];
    exts.push(...ext(0x0000, vec16([0, ...u16(name.length), ...name])));
  }
  exts.push(...ext(0x000a, vec16([0x001d, 0x0017, 0x0018, 0x0019, 0x0100].flatMap(u16)))); // x25519, P-256, P-384, P-521, ffdhe2048
  exts.push(...ext(0x000b, vec8([0]))); // uncompressed points
  exts.push(...ext(0x000d, vec16([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0603, 0x0806, 0x0601, 0x0201, 0x0203].flatMap(u16))));
  exts.push(...ext(0x0017, [])); // extended_master_secret
  exts.push(...ext(0x0023, [])); // session_ticket
  exts.push(...ext(0xff01, [0])); // renegotiation_info (initial)
  const body = [
    ...u16(0x0303),
    ...randomBytes(32),
    ...vec8([...randomBytes(32)]),
    ...vec16([...TLS12_SUITES, 0x00ff].flatMap(u16)),
    ...vec8([0]),
    ...vec16(exts),
  ];
  const hs = [HANDSHAKE.clientHello, ...u24(body.length), ...body];
  return Buffer.from([CONTENT.handshake, ...u16(0x0301), ...u16(hs.length), ...hs]);
}

export interface TlsRecord {
  type: number;
  version: number;
  /** The 5-byte header (additional data for TLS 1.3 record decryption). */
  header: Buffer;
  fragment: Buffer;
}

export class TlsParseError extends Error {}

/** Splits complete records off the front of `buf`; returns the records and what is left over. */
export function splitRecords(buf: Buffer): { records: TlsRecord[]; rest: Buffer } {
  const records: TlsRecord[] = [];
  let p = 0;
  while (buf.length - p >= 5) {
    const type = buf[p];
    if (type < 20 || type > 24) throw new TlsParseError(`the server did not answer in TLS (first bytes: ${JSON.stringify(printable(buf.subarray(p, p + 16)))})`);
    const len = buf.readUInt16BE(p + 3);
    if (len > 16384 + 2048) throw new TlsParseError(`TLS record too long (${len} bytes)`);
    if (buf.length - p - 5 < len) break;
    records.push({ type, version: buf.readUInt16BE(p + 1), header: buf.subarray(p, p + 5), fragment: buf.subarray(p + 5, p + 5 + len) });
    p += 5 + len;
  }
  return { records, rest: buf.subarray(p) };
}

function printable(b: Buffer): string {
  return [...b].map((c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
}

export interface HandshakeMessage {
  type: number;
  body: Buffer;
}

/** Reassembles handshake messages that may span records (or share one). */
export class HandshakeReader {
  private buf = Buffer.alloc(0);
  constructor(private readonly maxBytes = 1024 * 1024) {}
  push(fragment: Buffer): HandshakeMessage[] {
    this.buf = Buffer.concat([this.buf, fragment]);
    const out: HandshakeMessage[] = [];
    while (this.buf.length >= 4) {
      const len = (this.buf[1] << 16) | (this.buf[2] << 8) | this.buf[3];
      if (len > this.maxBytes) throw new TlsParseError(`handshake message of ${len} bytes is larger than the ${this.maxBytes}-byte limit`);
      if (this.buf.length < 4 + len) break;
      out.push({ type: this.buf[0], body: this.buf.subarray(4, 4 + len) });
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }
}

/** Bounds-checked cursor over a handshake body. */
export class Cursor {
  p = 0;
  constructor(readonly b: Buffer) {}
  private need(n: number, what: string) {
    if (this.p + n > this.b.length) throw new TlsParseError(`truncated ${what}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b[this.p++];
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.b.readUInt16BE(this.p);
    this.p += 2;
    return v;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }
  vec8(what: string): Buffer {
    return this.bytes(this.u8(what), what);
  }
  vec16(what: string): Buffer {
    return this.bytes(this.u16(what), what);
  }
  get left(): number {
    return this.b.length - this.p;
  }
}

export interface ServerHello {
  /** legacy_version field; for TLS 1.3 the real version is in supported_versions. */
  version: number;
  cipherSuite: number;
  helloRetry: boolean;
  extensions: Map<number, Buffer>;
}

// RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest.
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export function parseServerHello(body: Buffer): ServerHello {
  const c = new Cursor(body);
  const legacy = c.u16('ServerHello version');
  const random = c.bytes(32, 'ServerHello random');
  c.vec8('ServerHello session id');
  const cipherSuite = c.u16('ServerHello cipher suite');
  c.u8('ServerHello compression');
  const extensions = new Map<number, Buffer>();
  if (c.left >= 2) {
    const ec = new Cursor(c.vec16('ServerHello extensions'));
    while (ec.left) extensions.set(ec.u16('extension type'), ec.vec16('extension'));
  }
  const sv = extensions.get(0x002b);
  const version = sv && sv.length === 2 ? sv.readUInt16BE(0) : legacy;
  return { version, cipherSuite, helloRetry: random.toString('hex') === HRR_RANDOM, extensions };
}

export interface CaName {
  /** Display form (CN=..., O=...), most significant RDN first like Windows shows it. */
  display: string;
  /** RFC 5280 comparison key (lib/pki/name). Undefined when the bytes are not a valid Name. */
  key?: string;
  /** Size of the DER Name in bytes. */
  bytes: number;
}

export interface CertificateRequestInfo {
  /** TLS 1.0-1.2 only: certificate_types. */
  certificateTypes: string[];
  signatureAlgorithms: string[];
  authorities: CaName[];
  /** Bytes of the certificate_authorities list as sent (each name with its 2-byte length). */
  authoritiesBytes: number;
}

function caNames(list: Buffer): CaName[] {
  const c = new Cursor(list);
  const out: CaName[] = [];
  while (c.left) {
    const der = c.vec16('distinguished name');
    try {
      const n = parseName(new Uint8Array(der));
      out.push({ display: n.display || '(empty name)', key: n.key, bytes: der.length });
    } catch {
      out.push({ display: `(unreadable name, DER ${toHex(der.subarray(0, 24))}${der.length > 24 ? '…' : ''})`, bytes: der.length });
    }
  }
  return out;
}

function sigAlgs(b: Buffer): string[] {
  const c = new Cursor(b);
  const out: string[] = [];
  while (c.left >= 2) {
    const v = c.u16('signature algorithm');
    out.push(SIGALG_NAMES[v] ?? `0x${v.toString(16).padStart(4, '0')}`);
  }
  return out;
}

/** RFC 5246 7.4.4 (and RFC 4346 for TLS 1.0/1.1, which has no signature algorithms). */
export function parseCertificateRequest12(body: Buffer, version: number): CertificateRequestInfo {
  const c = new Cursor(body);
  const types = [...c.vec8('certificate_types')].map((t) => CERT_TYPE_NAMES[t] ?? `type ${t}`);
  const algs = version >= 0x0303 ? sigAlgs(c.vec16('supported_signature_algorithms')) : [];
  const list = c.vec16('certificate_authorities');
  return { certificateTypes: types, signatureAlgorithms: algs, authorities: caNames(list), authoritiesBytes: list.length };
}

/** RFC 8446 4.3.2: the CA names travel in the certificate_authorities extension (47). */
export function parseCertificateRequest13(body: Buffer): CertificateRequestInfo {
  const c = new Cursor(body);
  c.vec8('certificate_request_context');
  const ec = new Cursor(c.vec16('CertificateRequest extensions'));
  let algs: string[] = [];
  let list: Buffer = Buffer.alloc(0);
  while (ec.left) {
    const type = ec.u16('extension type');
    const data = ec.vec16('extension');
    if (type === 0x000d) algs = sigAlgs(new Cursor(data).vec16('signature_algorithms'));
    if (type === 0x002f) list = new Cursor(data).vec16('certificate_authorities');
  }
  return { certificateTypes: [], signatureAlgorithms: algs, authorities: caNames(list), authoritiesBytes: list.length };
}
