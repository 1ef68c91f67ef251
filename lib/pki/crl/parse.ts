// CRL parser that scales to CRLs of any size. The header and extensions are decoded once; the
// revokedCertificates list is only scanned for its length at parse time and walked on demand with a
// reused view object, so a million-entry CRL costs its bytes and a few milliseconds per pass, not an
// object tree (asn1js/pkijs refuse such inputs by default and need gigabytes when allowed).
import { decodeOid, REASON_FLAG_NAMES, type DistributionPointInfo, type ExtensionInfo, type GeneralNameInfo } from '../cert';
import { DerError, emptyTlv, integerBigInt, integerHex, readTlv, readTlvInto, timeMs, toHex, value, type Tlv } from '../der';
import { parseName, type ParsedName } from '../name';
import type { CrlEntry, CrlEntryView, CrlScan, IssuingDistributionPoint, ParsedCrl } from './types';

export type { CrlEntry, CrlScan } from './types';

export class CrlParseError extends Error {
  override name = 'CrlParseError';
}

export const CRL_OID = {
  authorityKeyIdentifier: '2.5.29.35',
  issuerAltName: '2.5.29.18',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  msNextCrlPublish: '1.3.6.1.4.1.311.21.4',
  msCaVersion: '1.3.6.1.4.1.311.21.1',
  // entry extensions
  reasonCode: '2.5.29.21',
  holdInstructionCode: '2.5.29.23',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/** CRL extensions this parser understands; a critical one outside this set makes the CRL unusable (RFC 5280 5.2). */
export const KNOWN_CRL_EXTENSIONS: ReadonlySet<string> = new Set([
  CRL_OID.authorityKeyIdentifier,
  CRL_OID.issuerAltName,
  CRL_OID.crlNumber,
  CRL_OID.deltaCrlIndicator,
  CRL_OID.issuingDistributionPoint,
  CRL_OID.freshestCrl,
  CRL_OID.authorityInfoAccess,
  CRL_OID.msNextCrlPublish,
  CRL_OID.msCaVersion,
]);

export const CRL_REASON_NAMES: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

// One list for certificates and CRLs; re-exported because the revocation code imports it from here.
export { REASON_FLAG_NAMES };

/** Kept as a name for the parser's result. */
export type ParsedCrlExt = ParsedCrl;

const PEM_LABELS = ['X509 CRL', 'CRL'];

function fail(msg: string): never {
  throw new CrlParseError(msg);
}

/** Returns DER bytes and the format; PEM text may have text before or between blocks (openssl -text output). */
function unwrap(bytes: Uint8Array): { der: Uint8Array; format: 'der' | 'pem' } {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  if (bytes[start] === 0x30) return { der: start ? bytes.subarray(start) : bytes, format: 'der' };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const begin = buf.indexOf('-----BEGIN ');
  if (begin < 0) {
    if (bytes.length === 0) fail('the file is empty');
    fail('not a CRL: neither DER (an ASN.1 SEQUENCE) nor PEM (-----BEGIN X509 CRL-----)');
  }
  // Find the first CRL block; report the label of whatever block is there otherwise.
  const labels: string[] = [];
  let p = begin;
  while (p >= 0) {
    const labelEnd = buf.indexOf('-----', p + 11);
    if (labelEnd < 0) break;
    const label = buf.toString('latin1', p + 11, labelEnd).trim();
    const bodyStart = labelEnd + 5;
    const endMarker = `-----END ${label}-----`;
    const bodyEnd = buf.indexOf(endMarker, bodyStart);
    if (bodyEnd < 0) fail(`PEM block "${label}" has no END line`);
    if (PEM_LABELS.includes(label)) {
      const body = buf.toString('latin1', bodyStart, bodyEnd);
      if (/[^A-Za-z0-9+/=\s]/.test(body)) fail('PEM CRL block holds characters that are not base64');
      const der = Buffer.from(body, 'base64');
      if (der.length === 0) fail('PEM CRL block is empty');
      return { der: new Uint8Array(der.buffer, der.byteOffset, der.byteLength), format: 'pem' };
    }
    labels.push(label);
    p = buf.indexOf('-----BEGIN ', bodyEnd + endMarker.length);
  }
  const what = labels.some((l) => /PRIVATE KEY|PKCS12/.test(l))
    ? 'it holds a private key, which a CRL never does'
    : `it holds ${labels.map((l) => `"${l}"`).join(', ')} PEM block(s), not "X509 CRL"`;
  return fail(`not a CRL: ${what}`);
}

function oidAt(buf: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) fail(`expected an OBJECT IDENTIFIER at offset ${t.start}`);
  return decodeOid(value(buf, t));
}

function dateAt(buf: Uint8Array, t: Tlv, what: string): Date {
  const ms = timeMs(buf, t);
  if (Number.isNaN(ms)) fail(`${what} is not a valid UTCTime or GeneralizedTime`);
  return new Date(ms);
}

function kids(buf: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.valueStart;
  while (p < t.end) {
    const k = readTlv(buf, p, t.end);
    out.push(k);
    p = k.end;
  }
  return out;
}

function ipToString(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
    return parts.join(':');
  }
  return toHex(b);
}

/** One GeneralName, in the same form lib/pki/cert.ts produces for certificates. */
function generalNameAt(buf: Uint8Array, t: Tlv): { info: GeneralNameInfo; dir?: ParsedName } {
  const v = value(buf, t);
  const str = () => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  switch (t.tag) {
    case 0x81:
      return { info: { type: 'rfc822', value: str() } };
    case 0x82:
      return { info: { type: 'dns', value: str() } };
    case 0x86:
      return { info: { type: 'uri', value: str() } };
    case 0x87:
      return { info: { type: 'ip', value: ipToString(v) } };
    case 0x88:
      return { info: { type: 'registeredId', value: decodeOid(v) } };
    case 0xa3:
      return { info: { type: 'x400', value: toHex(v) } };
    case 0xa5:
      return { info: { type: 'ediParty', value: '' } };
    case 0xa4: {
      const inner = readTlv(buf, t.valueStart, t.end);
      const dir = parseName(buf.subarray(inner.start, inner.end));
      return { info: { type: 'dirName', value: dir.display }, dir };
    }
    case 0xa0: {
      const [oidT, valT] = kids(buf, t);
      const oid = oidT ? oidAt(buf, oidT) : '';
      let s = '';
      if (valT) {
        try {
          const inner = valT.tag === 0xa0 ? readTlv(buf, valT.valueStart, valT.end) : valT;
          s = Buffer.from(value(buf, inner)).toString('utf8');
        } catch {
          s = toHex(value(buf, valT));
        }
      }
      return { info: { type: oid === '1.3.6.1.4.1.311.20.2.3' ? 'upn' : 'otherName', value: s, oid } };
    }
    default:
      fail(`unknown GeneralName tag 0x${t.tag.toString(16)} at offset ${t.start}`);
  }
}

function generalNames(buf: Uint8Array, t: Tlv): { names: GeneralNameInfo[]; dirs: ParsedName[] } {
  const names: GeneralNameInfo[] = [];
  const dirs: ParsedName[] = [];
  for (const k of kids(buf, t)) {
    const g = generalNameAt(buf, k);
    names.push(g.info);
    if (g.dir) dirs.push(g.dir);
  }
  return { names, dirs };
}

function reasonFlags(buf: Uint8Array, t: Tlv): string[] {
  const v = value(buf, t);
  const out: string[] = [];
  for (let i = 1; i < v.length; i++) {
    for (let b = 0; b < 8; b++) {
      if (v[i] & (0x80 >> b)) {
        const n = (i - 1) * 8 + b;
        out.push(REASON_FLAG_NAMES[n] ?? `bit${n}`);
      }
    }
  }
  return out;
}

/** DistributionPointName ([0] fullName / [1] nameRelativeToCRLIssuer) into `into`. */
function distributionPointName(
  buf: Uint8Array,
  t: Tlv,
  into: { fullName?: GeneralNameInfo[]; fullNameDirs?: ParsedName[]; relativeName?: Uint8Array },
) {
  const choice = readTlv(buf, t.valueStart, t.end);
  if (choice.tag === 0xa0) {
    const { names, dirs } = generalNames(buf, choice);
    into.fullName = names;
    into.fullNameDirs = dirs;
  } else if (choice.tag === 0xa1) {
    // Stored as a plain RDN SET (the form lib/pki/cert.ts keeps), so the implicit tag is rewritten.
    const rdn = Uint8Array.from(buf.subarray(choice.start, choice.end));
    rdn[0] = 0x31;
    into.relativeName = rdn;
  } else fail(`unknown DistributionPointName tag 0x${choice.tag.toString(16)}`);
}

function booleanAt(buf: Uint8Array, t: Tlv): boolean {
  return t.length > 0 && buf[t.valueStart] !== 0;
}

function parseIdp(buf: Uint8Array, t: Tlv): IssuingDistributionPoint {
  if (t.tag !== 0x30) fail('issuingDistributionPoint is not a SEQUENCE');
  const idp: IssuingDistributionPoint = {
    onlyContainsUserCerts: false,
    onlyContainsCACerts: false,
    indirectCRL: false,
    onlyContainsAttributeCerts: false,
  };
  for (const k of kids(buf, t)) {
    switch (k.tag) {
      case 0xa0:
        distributionPointName(buf, k, idp);
        break;
      case 0x81:
        idp.onlyContainsUserCerts = booleanAt(buf, k);
        break;
      case 0x82:
        idp.onlyContainsCACerts = booleanAt(buf, k);
        break;
      case 0x83:
        idp.onlySomeReasons = reasonFlags(buf, k);
        break;
      case 0x84:
        idp.indirectCRL = booleanAt(buf, k);
        break;
      case 0x85:
        idp.onlyContainsAttributeCerts = booleanAt(buf, k);
        break;
      default:
        fail(`unknown issuingDistributionPoint field tag 0x${k.tag.toString(16)}`);
    }
  }
  return idp;
}

function parseDistributionPoints(buf: Uint8Array, t: Tlv): DistributionPointInfo[] {
  if (t.tag !== 0x30) fail('freshestCRL is not a SEQUENCE');
  return kids(buf, t).map((dpT) => {
    const dp: DistributionPointInfo = { urls: [] };
    for (const k of kids(buf, dpT)) {
      if (k.tag === 0xa0) distributionPointName(buf, k, dp);
      else if (k.tag === 0x81) dp.reasons = reasonFlags(buf, k);
      else if (k.tag === 0xa2) {
        const { names, dirs } = generalNames(buf, k);
        dp.crlIssuer = names;
        dp.crlIssuerDirs = dirs;
      }
    }
    dp.urls = (dp.fullName ?? []).filter((g) => g.type === 'uri').map((g) => g.value);
    return dp;
  });
}

function parseAki(buf: Uint8Array, t: Tlv): NonNullable<ParsedCrlExt['aki']> {
  if (t.tag !== 0x30) fail('authorityKeyIdentifier is not a SEQUENCE');
  const aki: NonNullable<ParsedCrlExt['aki']> = {};
  for (const k of kids(buf, t)) {
    if (k.tag === 0x80) aki.keyId = toHex(value(buf, k));
    else if (k.tag === 0xa1) aki.issuer = generalNames(buf, k).names;
    else if (k.tag === 0x82) aki.serialHex = integerHex(value(buf, k));
  }
  return aki;
}

function integerAt(buf: Uint8Array, t: Tlv, what: string): bigint {
  if (t.tag !== 0x02 || t.length === 0) fail(`${what} is not an INTEGER`);
  return integerBigInt(value(buf, t));
}

function decodeHeaderExtension(crl: ParsedCrlExt, buf: Uint8Array, oid: string, valStart: number, valEnd: number) {
  const inner = readTlv(buf, valStart, valEnd);
  if (inner.end !== valEnd) fail(`extension ${oid} has data after its value`);
  switch (oid) {
    case CRL_OID.authorityKeyIdentifier:
      crl.aki = parseAki(buf, inner);
      break;
    case CRL_OID.crlNumber:
      crl.crlNumber = integerAt(buf, inner, 'cRLNumber');
      break;
    case CRL_OID.deltaCrlIndicator:
      crl.deltaCrlIndicator = integerAt(buf, inner, 'deltaCRLIndicator');
      break;
    case CRL_OID.issuingDistributionPoint:
      crl.idp = parseIdp(buf, inner);
      break;
    case CRL_OID.freshestCrl:
      crl.freshestCrl = parseDistributionPoints(buf, inner);
      break;
    case CRL_OID.msNextCrlPublish:
      crl.nextPublish = dateAt(buf, inner, 'Next CRL Publish');
      break;
  }
}

/** Mutable state behind the reused entry view; offsets point into the DER. */
interface WalkState {
  serialStart: number;
  serialEnd: number;
  dateTlv: Tlv;
  invalidityTlv: Tlv | undefined;
  reasonCode: number | undefined;
  certificateIssuerKey: string | undefined;
  unknownCriticalExtension: string | undefined;
}

function serialHexAt(b: Buffer, start: number, end: number): string {
  while (start < end - 1 && b[start] === 0) start++;
  return b.toString('hex', start, end);
}

// The entry walk reads lengths inline instead of through readTlv: a million entries hold about seven
// million elements, and with these two small functions (inlined by V8) a full pass costs a few ms.

/**
 * Offset just past the element at p, or -1 when its length is malformed or overruns `limit`. Callers
 * check the tag themselves; the short-form case is kept tiny so that V8 inlines it into the loop.
 */
function tlvEnd(buf: Uint8Array, p: number, limit: number): number {
  const l = buf[p + 1];
  if (l < 0x80 && p + 2 <= limit) {
    const end = p + 2 + l;
    return end > limit ? -1 : end;
  }
  return tlvEndLong(buf, p, limit);
}

function tlvEndLong(buf: Uint8Array, p: number, limit: number): number {
  if (p + 2 > limit || (buf[p] & 0x1f) === 0x1f) return -1;
  const n = buf[p + 1] & 0x7f;
  let q = p + 2;
  if (n === 0 || n > 6 || q + n > limit) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[q++];
  const end = q + len;
  return end > limit ? -1 : end;
}

/** Offset of the value of the element at p (its length must already be checked with tlvEnd). */
function vStart(buf: Uint8Array, p: number): number {
  const l = buf[p + 1];
  return l & 0x80 ? p + 2 + (l & 0x7f) : p + 2;
}

function badEntry(at: number, what: string): never {
  throw new CrlParseError(`malformed revoked entry at offset ${at}: ${what}`);
}

/**
 * Walks revokedCertificates. `cb` gets a view whose serialHex/revocationDate/invalidityDate are computed
 * when read (most callers read none of them for most entries) and `st` with the raw offsets.
 */
function walkEntries(
  buf: Uint8Array,
  list: Tlv | undefined,
  cb: (e: CrlEntryView, st: WalkState) => void | 'stop',
): void {
  if (!list) return;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const invalidity = emptyTlv();
  const st: WalkState = {
    serialStart: 0,
    serialEnd: 0,
    dateTlv: emptyTlv(),
    invalidityTlv: undefined,
    reasonCode: undefined,
    certificateIssuerKey: undefined,
    unknownCriticalExtension: undefined,
  };
  const date = st.dateTlv;
  const issuerKeys = new Map<string, string>();
  let currentIssuerKey: string | undefined;
  // Every field is an own enumerable getter over `st`: writes in the loop go to a plain object (fast
  // properties), and `{ ...e }` still copies plain values.
  const view: CrlEntryView = {
    get serialHex() {
      return serialHexAt(b, st.serialStart, st.serialEnd);
    },
    get serialRawHex() {
      return b.toString('hex', st.serialStart, st.serialEnd);
    },
    get revocationDate() {
      return new Date(timeMs(buf, date));
    },
    get reasonCode() {
      return st.reasonCode;
    },
    get invalidityDate() {
      return st.invalidityTlv ? new Date(timeMs(buf, st.invalidityTlv)) : undefined;
    },
    get certificateIssuerKey() {
      return st.certificateIssuerKey;
    },
    get unknownCriticalExtension() {
      return st.unknownCriticalExtension;
    },
  };
  let p = list.valueStart;
  const listEnd = list.end;
  while (p < listEnd) {
    if (buf[p] !== 0x30) badEntry(p, 'not a SEQUENCE');
    const entEnd = tlvEnd(buf, p, listEnd);
    if (entEnd < 0) badEntry(p, 'its length runs past the list');
    let q = vStart(buf, p);
    if (buf[q] !== 0x02 || q >= entEnd) badEntry(p, 'no serial number');
    const serialEnd = tlvEnd(buf, q, entEnd);
    st.serialStart = vStart(buf, q);
    if (serialEnd < 0 || serialEnd === st.serialStart) badEntry(p, 'no serial number');
    st.serialEnd = serialEnd;
    q = serialEnd;
    const dateTag = buf[q];
    if (q >= entEnd || (dateTag !== 0x17 && dateTag !== 0x18)) badEntry(p, 'no revocation date');
    const dateEnd = tlvEnd(buf, q, entEnd);
    if (dateEnd < 0) badEntry(p, 'bad revocation date');
    date.tag = dateTag;
    date.start = q;
    date.valueStart = vStart(buf, q);
    date.end = dateEnd;
    date.length = dateEnd - date.valueStart;
    st.invalidityTlv = undefined;
    st.reasonCode = undefined;
    st.unknownCriticalExtension = undefined;
    if (dateEnd < entEnd) {
      if (buf[dateEnd] !== 0x30 || tlvEnd(buf, dateEnd, entEnd) !== entEnd) badEntry(p, 'unexpected data after the revocation date');
      let x = vStart(buf, dateEnd);
      while (x < entEnd) {
        const extEnd = tlvEnd(buf, x, entEnd);
        if (buf[x] !== 0x30 || extEnd < 0) badEntry(p, 'an entry extension is not a SEQUENCE');
        let y = vStart(buf, x);
        const oidEnd = tlvEnd(buf, y, extEnd);
        if (buf[y] !== 0x06 || oidEnd < 0) badEntry(p, 'an entry extension has no OID');
        const oidStart = vStart(buf, y);
        y = oidEnd;
        let critical = false;
        if (y < extEnd && buf[y] === 0x01) {
          const boolEnd = tlvEnd(buf, y, extEnd);
          if (boolEnd < 0) badEntry(p, 'bad critical flag');
          const v = vStart(buf, y);
          critical = boolEnd > v && buf[v] !== 0;
          y = boolEnd;
        }
        const octEnd = tlvEnd(buf, y, extEnd);
        if (y >= extEnd || buf[y] !== 0x04 || octEnd !== extEnd) badEntry(p, 'an entry extension has no OCTET STRING value');
        const valStart = vStart(buf, y);
        // Entry extensions are id-ce arcs (2.5.29.x, encoded 55 1d x): one comparison picks the known ones.
        const ce = oidEnd - oidStart === 3 && buf[oidStart] === 0x55 && buf[oidStart + 1] === 0x1d ? buf[oidStart + 2] : -1;
        if (ce === 0x15) {
          const rEnd = tlvEnd(buf, valStart, octEnd);
          const rStart = vStart(buf, valStart);
          if (buf[valStart] !== 0x0a || rEnd < 0 || rEnd === rStart) badEntry(p, 'reasonCode is not an ENUMERATED');
          let r = 0;
          for (let i = rStart; i < rEnd; i++) r = r * 256 + buf[i];
          st.reasonCode = r;
        } else if (ce === 0x18) {
          try {
            readTlvInto(buf, valStart, octEnd, invalidity);
          } catch (e) {
            badEntry(p, `invalidityDate: ${(e as Error).message}`);
          }
          st.invalidityTlv = invalidity;
        } else if (ce === 0x1d) {
          // RFC 5280 5.3.3: applies to this entry and every following one until the next certificateIssuer.
          const hex = b.toString('hex', valStart, octEnd);
          let key = issuerKeys.get(hex);
          if (key === undefined) {
            try {
              const { dirs } = generalNames(buf, readTlv(buf, valStart, octEnd));
              key = dirs.length > 0 ? dirs[0].key : `generalNames:${hex}`;
            } catch (e) {
              badEntry(p, `certificateIssuer: ${(e as Error).message}`);
            }
            issuerKeys.set(hex, key);
          }
          currentIssuerKey = key;
        } else if (critical && st.unknownCriticalExtension === undefined) {
          st.unknownCriticalExtension = decodeOid(buf.subarray(oidStart, oidEnd));
        }
        x = extEnd;
      }
    }
    st.certificateIssuerKey = currentIssuerKey;
    p = entEnd;
    if (cb(view, st) === 'stop') return;
  }
}

function copyEntry(e: CrlEntryView): CrlEntry {
  const out: CrlEntry = { serialHex: e.serialHex, serialRawHex: e.serialRawHex!, revocationDate: e.revocationDate };
  if (e.reasonCode !== undefined) out.reasonCode = e.reasonCode;
  const inv = e.invalidityDate;
  if (inv !== undefined) out.invalidityDate = inv;
  if (e.certificateIssuerKey !== undefined) out.certificateIssuerKey = e.certificateIssuerKey;
  if (e.unknownCriticalExtension !== undefined) out.unknownCriticalExtension = e.unknownCriticalExtension;
  return out;
}

function scanEntries(buf: Uint8Array, list: Tlv | undefined, serials: Iterable<string>, raw: boolean): CrlScan {
  const wanted = new Map<string, Uint8Array>();
  for (const s of serials) {
    let h = raw ? s.replace(/[\s:]/g, '').toLowerCase() : normalizeSerialHex(s);
    if (h.length % 2) h = `0${h}`;
    if (/^[0-9a-f]+$/.test(h)) wanted.set(h, Buffer.from(h, 'hex'));
  }
  const targets = [...wanted.entries()];
  const found = new Map<string, CrlEntry[]>();
  const result: CrlScan = { found, entries: 0 };
  walkEntries(buf, list, (e, st) => {
    result.entries++;
    if (st.unknownCriticalExtension !== undefined && result.unknownCriticalEntryExtension === undefined) {
      result.unknownCriticalEntryExtension = st.unknownCriticalExtension;
    }
    let s = st.serialStart;
    if (!raw) while (s < st.serialEnd - 1 && buf[s] === 0) s++;
    const len = st.serialEnd - s;
    for (let t = 0; t < targets.length; t++) {
      const want = targets[t][1];
      if (want.length !== len) continue;
      let i = 0;
      while (i < len && buf[s + i] === want[i]) i++;
      if (i === len) {
        const hex = targets[t][0];
        const list = found.get(hex);
        if (list) list.push(copyEntry(e));
        else found.set(hex, [copyEntry(e)]);
      }
    }
  });
  return result;
}

/** Normalised serial: lower-case hex without leading zero bytes (Cert.serialHex form). */
export function normalizeSerialHex(s: string): string {
  let h = s.replace(/[\s:]/g, '').toLowerCase();
  if (h.length % 2) h = `0${h}`;
  while (h.length > 2 && h.startsWith('00')) h = h.slice(2);
  return h;
}

export function parseCrl(bytes: Uint8Array, source: ParsedCrl['source']): ParsedCrlExt {
  const { der, format } = unwrap(bytes);
  try {
    return parseDer(der, bytes.length, format, source);
  } catch (e) {
    if (looksLikeCertificate(der)) throw new CrlParseError('not a CRL: this is an X.509 certificate (give certificates with --cert)');
    if (e instanceof CrlParseError) throw e;
    if (e instanceof DerError) throw new CrlParseError(`not a valid DER CRL: ${e.message}`);
    throw new CrlParseError(`not a valid CRL: ${(e as Error).message}`);
  }
}

/** Certificate TBS: [0] version?, serial, algorithm, issuer, validity (a SEQUENCE of two times), ... */
function looksLikeCertificate(buf: Uint8Array): boolean {
  try {
    const top = readTlv(buf, 0);
    const tbs = readTlv(buf, top.valueStart, top.end);
    const k = kids(buf, tbs);
    const i = k[0]?.tag === 0xa0 ? 1 : 0;
    const validity = k[i + 3];
    if (k[i]?.tag !== 0x02 || !validity || validity.tag !== 0x30) return false;
    const times = kids(buf, validity);
    return times.length === 2 && times.every((x) => x.tag === 0x17 || x.tag === 0x18);
  } catch {
    return false;
  }
}

function parseDer(buf: Uint8Array, size: number, format: 'der' | 'pem', source: ParsedCrl['source']): ParsedCrlExt {
  const top = readTlv(buf, 0);
  if (top.tag !== 0x30) fail('not a CRL: the data is not an ASN.1 SEQUENCE');
  if (top.end !== buf.length) fail(`not a valid DER CRL: ${buf.length - top.end} extra byte(s) after the CRL`);
  const [tbsT, sigAlgT, sigT, extra] = kids(buf, top);
  if (!tbsT || !sigAlgT || !sigT || extra) fail('not a CRL: expected tbsCertList, signatureAlgorithm and signature');
  if (tbsT.tag !== 0x30 || sigAlgT.tag !== 0x30 || sigT.tag !== 0x03) fail('not a CRL: the outer structure has the wrong types');

  // Field by field rather than children(): the optional fields are told apart by tag, and children() would
  // also read the million-entry list element by element just to skip it.
  const t = emptyTlv();
  let p = tbsT.valueStart;
  const next = () => {
    if (p >= tbsT.end) return undefined;
    readTlvInto(buf, p, tbsT.end, t);
    p = t.end;
    return t;
  };
  let cur = next();
  if (cur?.tag === 0xa0) fail('not a CRL: this is an X.509 certificate (use --cert for certificates)');
  let version = 1;
  if (cur?.tag === 0x02) {
    const v = Number(integerBigInt(value(buf, cur)));
    if (v !== 1) fail(`unsupported CRL version ${v + 1}`);
    version = 2;
    cur = next();
  }
  if (cur?.tag !== 0x30) fail('not a CRL: tbsCertList has no signature algorithm');
  const tbsAlgKids = kids(buf, cur);
  if (!tbsAlgKids[0]) fail('not a CRL: empty signature algorithm');
  const tbsSignatureAlgorithm = oidAt(buf, tbsAlgKids[0]);
  cur = next();
  if (cur?.tag !== 0x30) fail('not a CRL: tbsCertList has no issuer name');
  let issuer: ParsedName;
  try {
    issuer = parseName(buf.subarray(cur.start, cur.end));
  } catch (e) {
    fail(`CRL issuer name is malformed: ${(e as Error).message}`);
  }
  cur = next();
  if (!cur || (cur.tag !== 0x17 && cur.tag !== 0x18)) fail('not a CRL: tbsCertList has no thisUpdate time');
  const thisUpdate = dateAt(buf, cur, 'thisUpdate');
  cur = next();
  let nextUpdate: Date | undefined;
  if (cur && (cur.tag === 0x17 || cur.tag === 0x18)) {
    nextUpdate = dateAt(buf, cur, 'nextUpdate');
    cur = next();
  }
  let list: Tlv | undefined;
  if (cur?.tag === 0x30) {
    list = { ...cur };
    cur = next();
  }
  let extsT: Tlv | undefined;
  if (cur?.tag === 0xa0) {
    extsT = { ...cur };
    cur = next();
  }
  if (cur) fail(`tbsCertList has an unexpected field (tag 0x${cur.tag.toString(16)}) at offset ${cur.start}`);

  const sigAlgKids = kids(buf, sigAlgT);
  if (!sigAlgKids[0]) fail('not a CRL: empty outer signature algorithm');
  const signatureAlgorithm = oidAt(buf, sigAlgKids[0]);
  const sigBits = value(buf, sigT);
  if (sigBits.length < 1) fail('CRL signature is empty');

  // Length scan of the entry list: headers only.
  let entryCount = 0;
  if (list) {
    let q = list.valueStart;
    while (q < list.end) {
      const end = tlvEnd(buf, q, list.end);
      if (buf[q] !== 0x30 || end < 0) fail(`revoked entry at offset ${q} is not a well-formed SEQUENCE`);
      q = end;
      entryCount++;
    }
  }

  const listT = list;
  const crl: ParsedCrlExt = {
    source,
    bytes: size,
    format,
    version,
    issuer,
    thisUpdate,
    nextUpdate,
    signatureAlgorithm,
    signatureAlgorithmParams: sigAlgKids[1] && sigAlgKids[1].tag !== 0x05 ? buf.subarray(sigAlgKids[1].start, sigAlgKids[1].end) : undefined,
    tbsSignatureAlgorithm,
    tbs: buf.subarray(tbsT.start, tbsT.end),
    signature: sigBits.subarray(1),
    extensions: [],
    unknownCriticalExtensions: [],
    entryCount,
    forEachEntry(cb) {
      walkEntries(buf, listT, cb);
    },
    findSerials(serialHexes) {
      return scanEntries(buf, listT, serialHexes, false).found;
    },
    scan(serials, opts) {
      return scanEntries(buf, listT, serials, !!opts?.raw);
    },
  };

  if (extsT) {
    // RFC 5280 wants version 2 here; a v1 CRL with extensions is still read so the other findings show.
    const seq = readTlv(buf, extsT.valueStart, extsT.end);
    if (seq.tag !== 0x30) fail('crlExtensions is not a SEQUENCE');
    const seen = new Set<string>();
    for (const extT of kids(buf, seq)) {
      const parts = kids(buf, extT);
      const oid = oidAt(buf, parts[0] ?? fail('empty CRL extension'));
      let i = 1;
      let critical = false;
      if (parts[i]?.tag === 0x01) critical = booleanAt(buf, parts[i++]);
      const valT = parts[i];
      if (!valT || valT.tag !== 0x04) fail(`CRL extension ${oid} has no OCTET STRING value`);
      if (seen.has(oid)) fail(`CRL extension ${oid} appears more than once`);
      seen.add(oid);
      crl.extensions.push({ oid, critical, value: value(buf, valT) } satisfies ExtensionInfo);
      if (critical && !KNOWN_CRL_EXTENSIONS.has(oid)) crl.unknownCriticalExtensions.push(oid);
      try {
        decodeHeaderExtension(crl, buf, oid, valT.valueStart, valT.end);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        fail(`CRL extension ${oid} is malformed: ${msg}`);
      }
    }
  }
  return crl;
}
