// Signature check over raw signed bytes (a CRL's tbsCertList or a certificate's tbsCertificate) with
// node:crypto, so a 40 MB CRL is hashed natively in one pass. Used for certificates and CRLs alike.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeOid } from '../cert';
import { DerError, readTlv, value, type Tlv } from '../der';

export interface SignatureCheck {
  ok: boolean;
  /** Why ok is false (or a note when it is true); never contains key or data bytes. */
  reason?: string;
  /** True when the algorithm is one we deliberately do not verify (DSA, unknown OIDs): not a bad signature. */
  unsupported?: boolean;
  /** Readable algorithm name, when known. */
  algorithm?: string;
}

type Family = 'rsa' | 'rsa-pss' | 'ec' | 'dsa' | 'ed25519' | 'ed448';
interface AlgInfo {
  name: string;
  family: Family;
  hash: string | null;
}

const ALGS: Record<string, AlgInfo> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', family: 'rsa', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', family: 'rsa', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', family: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', family: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', family: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', family: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', family: 'rsa', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', family: 'rsa-pss', hash: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', family: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', family: 'ec', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', family: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', family: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', family: 'ec', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', family: 'dsa', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-sha224', family: 'dsa', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', family: 'dsa', hash: 'sha256' },
  '1.3.101.112': { name: 'Ed25519', family: 'ed25519', hash: null },
  '1.3.101.113': { name: 'Ed448', family: 'ed448', hash: null },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const MGF1 = '1.2.840.113549.1.1.8';

/** Key types node reports (KeyObject.asymmetricKeyType) that each signature family accepts. */
const KEY_TYPES: Record<Family, string[]> = {
  rsa: ['rsa'],
  'rsa-pss': ['rsa', 'rsa-pss'],
  ec: ['ec'],
  dsa: ['dsa'],
  ed25519: ['ed25519'],
  ed448: ['ed448'],
};

interface PssParams {
  hash: string;
  mgfHash: string;
  saltLength: number;
}

/** RSASSA-PSS-params (RFC 4055 3.1); every field has a SHA-1 era default. */
function parsePssParams(params: Uint8Array | undefined): PssParams | string {
  const out: PssParams = { hash: 'sha1', mgfHash: 'sha1', saltLength: 20 };
  if (!params || params.length === 0) return out;
  try {
    const seq = readTlv(params, 0);
    if (seq.tag !== 0x30) return 'RSASSA-PSS parameters are not a SEQUENCE';
    let p = seq.valueStart;
    while (p < seq.end) {
      const field = readTlv(params, p, seq.end);
      p = field.end;
      const inner = readTlv(params, field.valueStart, field.end);
      const algOid = (t: Tlv) => decodeOid(value(params, readTlv(params, t.valueStart, t.end)));
      if (field.tag === 0xa0) {
        const h = HASH_OIDS[algOid(inner)];
        if (!h) return `RSASSA-PSS hash ${algOid(inner)} is not supported`;
        out.hash = h;
      } else if (field.tag === 0xa1) {
        if (algOid(inner) !== MGF1) return `RSASSA-PSS mask generation ${algOid(inner)} is not supported`;
        const mgfOid = readTlv(params, inner.valueStart, inner.end);
        const hashAlg = readTlv(params, mgfOid.end, inner.end);
        const h = HASH_OIDS[algOid(hashAlg)];
        if (!h) return 'RSASSA-PSS MGF1 hash is not supported';
        out.mgfHash = h;
      } else if (field.tag === 0xa2) {
        let n = 0;
        for (const b of value(params, inner)) n = n * 256 + b;
        out.saltLength = n;
      } else if (field.tag === 0xa3) {
        const v = value(params, inner);
        if (v.length !== 1 || v[0] !== 1) return 'RSASSA-PSS trailer field must be 1';
      }
    }
    return out;
  } catch (e) {
    return `RSASSA-PSS parameters are malformed: ${e instanceof DerError ? e.message : String(e)}`;
  }
}

/**
 * Verifies `signature` over `tbs`. `signatureAlgorithm` is the OID from the signed object's outer
 * AlgorithmIdentifier, `params` its DER parameters (needed for RSASSA-PSS), `issuerSpki` the issuer's
 * DER SubjectPublicKeyInfo (or a KeyObject made from it). Never throws.
 */
export function verifySignedData(
  tbs: Uint8Array,
  signature: Uint8Array,
  signatureAlgorithm: string,
  params: Uint8Array | undefined,
  issuerSpki: Uint8Array | KeyObject,
): SignatureCheck {
  const alg = ALGS[signatureAlgorithm];
  if (!alg) return { ok: false, unsupported: true, reason: `unsupported: signature algorithm ${signatureAlgorithm} is not recognised` };
  if (alg.family === 'dsa') {
    return { ok: false, unsupported: true, algorithm: alg.name, reason: 'unsupported: DSA signatures are not verified (certificate sign-in does not use DSA)' };
  }
  let key: KeyObject;
  try {
    key =
      issuerSpki instanceof Uint8Array
        ? createPublicKey({ key: Buffer.from(issuerSpki.buffer, issuerSpki.byteOffset, issuerSpki.byteLength), format: 'der', type: 'spki' })
        : issuerSpki;
  } catch (e) {
    return { ok: false, algorithm: alg.name, reason: `the issuer public key cannot be read: ${(e as Error).message}` };
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  if (!KEY_TYPES[alg.family].includes(keyType)) {
    return { ok: false, algorithm: alg.name, reason: `the issuer key is ${keyType.toUpperCase()} but the signature algorithm is ${alg.name}` };
  }
  try {
    if (alg.family === 'rsa-pss') {
      const pss = parsePssParams(params);
      if (typeof pss === 'string') return { ok: false, unsupported: true, algorithm: alg.name, reason: `unsupported: ${pss}` };
      if (pss.mgfHash !== pss.hash) {
        return { ok: false, unsupported: true, algorithm: alg.name, reason: `unsupported: RSASSA-PSS with MGF1 hash ${pss.mgfHash} different from ${pss.hash}` };
      }
      const ok = verify(pss.hash, tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
      return ok ? { ok, algorithm: `RSASSA-PSS/${pss.hash}` } : { ok, algorithm: `RSASSA-PSS/${pss.hash}`, reason: 'the signature does not match the issuer key' };
    }
    const ok = verify(alg.hash, tbs, alg.family === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : key, signature);
    return ok ? { ok, algorithm: alg.name } : { ok, algorithm: alg.name, reason: 'the signature does not match the issuer key' };
  } catch (e) {
    // OpenSSL errors here mean a malformed signature or key, which is a failed verification.
    return { ok: false, algorithm: alg.name, reason: `the signature cannot be verified: ${(e as Error).message}` };
  }
}
