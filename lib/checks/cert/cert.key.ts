import { AsnConvert } from '@peculiar/asn1-schema';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { signatureInfo, type Cert } from '@/lib/pki/cert';
import type { Remediation, Status } from '@/lib/report/schema';
import type { CheckDef } from '../types';
import { worst } from '../types';
import { appliesToUser, certRef, ENTRA_CBA_URL, userEntry } from './common';

export const MIN_RSA_BITS = 2048;

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** The hash behind the signature; RSASSA-PSS carries it in its parameters (SHA-1 when absent). */
function signatureHash(c: Cert): string | undefined {
  const info = signatureInfo(c);
  if (!info) return undefined;
  if (info.hash !== 'params') return info.hash;
  if (!c.signatureAlgorithmParams) return 'SHA-1';
  try {
    const p = AsnConvert.parse(c.signatureAlgorithmParams, RsaSaPssParams);
    return HASH_OIDS[p.hashAlgorithm.algorithm] ?? p.hashAlgorithm.algorithm;
  } catch {
    return undefined;
  }
}

const STRONG_HASHES = ['SHA-256', 'SHA-384', 'SHA-512'];
// 'none': Ed25519 hashes internally (SHA-512), there is no separate digest to judge.

export const certKey: CheckDef = {
  id: 'cert.key',
  category: 'cert',
  title: 'User certificate key and signature are strong enough',
  description:
    'The user certificate should carry an RSA key of at least 2048 bits or an ECDSA key on P-256, P-384 or P-521, and be signed with SHA-256 or stronger. Shorter RSA keys are refused by current TLS stacks and SHA-1 signatures are being retired.',
  citation: 'CHECKS.md cert.key; Entra CBA documentation (supported certificates)',
  reference: ENTRA_CBA_URL,
  needs: ['user'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const c = e.cert;
    const k = c.publicKey;
    const hash = signatureHash(c);
    const sig = signatureInfo(c);
    const findings: { status: Status; message: string }[] = [];
    const remediation: Remediation[] = [];
    const keyText = k.algorithm === 'RSA' ? `RSA ${k.bits ?? '?'} bits` : k.algorithm === 'EC' ? `ECDSA ${k.curveName ?? k.curve ?? 'unknown curve'}` : k.algorithm;

    if (k.algorithm === 'RSA') {
      if (k.bits === undefined || k.bits < MIN_RSA_BITS) {
        findings.push({ status: 'fail', message: `The key is ${keyText}; at least ${MIN_RSA_BITS} bits are needed.` });
        remediation.push({
          text: `In the certificate template (certtmpl.msc > template > Properties > Cryptography tab) set "Minimum key size" to ${MIN_RSA_BITS} or more, publish the change, and re-enroll the user with a new key (a renewal that reuses the key keeps it short).`,
          command: `certreq -enroll -user -q <TEMPLATE_NAME>`,
        });
      }
    } else if (!(k.algorithm === 'EC' && k.curveName)) {
      findings.push({ status: 'warn', message: `The key is ${keyText}, which is neither RSA nor ECDSA on P-256/P-384/P-521; AD FS and Entra ID may not accept it.` });
      remediation.push({ text: `Issue the user certificate with an RSA key of at least ${MIN_RSA_BITS} bits or an ECDSA key on P-256, P-384 or P-521 (certificate template > Cryptography tab).` });
    }

    if (hash === 'SHA-1') {
      findings.push({ status: 'warn', message: 'The issuing CA signed the certificate with SHA-1, which is deprecated.' });
      remediation.push({
        text: 'Make the issuing CA sign with SHA-256 (run on the CA server, then re-issue the user certificate):',
        command: 'certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256 && net stop certsvc && net start certsvc',
      });
    } else if (!hash || (!STRONG_HASHES.includes(hash) && hash !== 'none')) {
      findings.push({ status: 'fail', message: `The signature algorithm (${sig?.name ?? c.signatureAlgorithm}${hash ? `, ${hash}` : ''}) is not an accepted one; certificates must be signed with SHA-256 or stronger.` });
      remediation.push({
        text: 'Re-issue the certificate from a CA that signs with SHA-256 or stronger (on a Microsoft CA, run on the CA server):',
        command: 'certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256 && net stop certsvc && net start certsvc',
      });
    }

    const status = worst(findings.map((f) => f.status), 'pass');
    const evidence = {
      certificate: certRef(e),
      key: { algorithm: k.algorithm, bits: k.bits ?? null, curve: k.curveName ?? k.curve ?? null },
      signature: { algorithm: sig?.name ?? c.signatureAlgorithm, oid: c.signatureAlgorithm, hash: hash ?? null },
      findings,
    };
    if (status === 'pass') return { status, summary: `The key is ${keyText} and the signature uses ${hash === 'none' ? sig?.name : hash}.`, evidence };
    return { status, summary: findings.map((f) => f.message).join(' '), evidence, remediation };
  },
};
