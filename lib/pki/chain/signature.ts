// Signature checks for chain building, path validation and CRL signer search. Building tries several
// candidate issuers and revocation tries several signers, so results are memoised per (signed object, key).
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Cert } from '../cert';
import type { ParsedCrl } from '../crl/types';
import { verifySignedData, type SignatureCheck } from '../crl/verify';

const keyCache = new WeakMap<Uint8Array, KeyObject | string>();
const results = new WeakMap<Uint8Array, Map<Uint8Array, SignatureCheck>>();

function keyOf(spki: Uint8Array): KeyObject | string {
  let k = keyCache.get(spki);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
    } catch (e) {
      k = `the issuer public key cannot be read: ${(e as Error).message}`;
    }
    keyCache.set(spki, k);
  }
  return k;
}

function check(tbs: Uint8Array, sig: Uint8Array, alg: string, params: Uint8Array | undefined, spki: Uint8Array): SignatureCheck {
  let perKey = results.get(tbs);
  if (!perKey) results.set(tbs, (perKey = new Map()));
  let r = perKey.get(spki);
  if (!r) {
    const key = keyOf(spki);
    r = typeof key === 'string' ? { ok: false, reason: key } : verifySignedData(tbs, sig, alg, params, key);
    perKey.set(spki, r);
  }
  return r;
}

/** Does `issuer`'s key verify `cert`'s signature? */
export function certSignedBy(cert: Cert, issuer: Cert): SignatureCheck {
  return check(cert.tbs, cert.signature, cert.signatureAlgorithm, cert.signatureAlgorithmParams, issuer.publicKey.spki);
}

export function crlSignedBy(crl: ParsedCrl, signer: Cert): SignatureCheck {
  return check(crl.tbs, crl.signature, crl.signatureAlgorithm, crl.signatureAlgorithmParams, signer.publicKey.spki);
}

/** Self-issued and verifiable with its own key (a root, or a self-signed end-entity). */
export function isSelfSigned(c: Cert): boolean {
  if (!c.selfIssued) return false;
  const r = certSignedBy(c, c);
  if (r.ok) return true;
  // An algorithm we do not verify (DSA) cannot tell; fall back to matching key identifiers.
  return !!r.unsupported && (!c.aki?.keyId || !c.ski || c.aki.keyId === c.ski);
}
