import { inertFileName } from '@/lib/commands/native';
import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CrlAssessment } from '@/lib/pki/crl/types';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef, type Prerequisite } from '../types';

/** The CRL checks judge every CRL available: given as files or downloaded. */
export function appliesToCrls(a: Artifacts): true | string {
  if (!a.crls) return a.ctx.offline ? 'No CRL was given (--crl) and the diagnosis ran offline, so no CRL was downloaded.' : 'No CRL was given or downloaded.';
  if (!a.crls.items.length) return 'No readable CRL was given or downloaded (see crl.fetch and crl.format).';
  if (!a.revocation) return 'The CRLs were not evaluated (no certificate chain).';
  return true;
}

function caName(a: Artifacts, ref: string | undefined): string | null {
  if (!ref) return null;
  const all = [...(a.chain?.path ?? []), ...(a.certs ?? []), ...(a.aiaCerts ?? [])];
  return all.find((e) => e.ref === ref)?.cert.subject.display ?? null;
}

function judge(a: Artifacts, c: CrlAssessment): { status: Status; note: string; problem?: 'wrong-crl' | 'name' | 'aki' | 'key' | 'no-aki' } {
  // A downloaded CRL must be the CRL of the CA whose certificates point to that URL, not just any valid CRL.
  const dl = c.url ? a.crlDownloads?.find((d) => d.fetch.url === c.url && d.caRef) : undefined;
  const expected = dl ? [...(a.chain?.path ?? []), ...(a.certs ?? []), ...(a.aiaCerts ?? [])].find((e) => e.ref === dl.caRef) : undefined;
  if (expected && expected.cert.subject.key !== a.crls!.items[c.index].issuer.key) {
    return {
      status: 'fail',
      problem: 'wrong-crl',
      note: `${c.url} is named as the CRL of "${expected.cert.subject.display}" (in the CRL Distribution Points of ${dl!.forRef}), but it serves a CRL issued by "${c.issuer}".`,
    };
  }
  if (c.signature === 'verified') {
    if (c.aki === 'mismatch') return { status: 'fail', problem: 'aki', note: `The signature verifies with ${c.signer!.ref}, but the CRL's authority key identifier (${a.crls!.items[c.index].aki?.keyId}) differs from that CA's subject key identifier (${c.signer!.ski}); Entra ID matches CRLs to CAs by this identifier.` };
    if (c.aki === 'absent') return { status: 'warn', problem: 'no-aki', note: `The signature verifies with ${c.signer!.ref}, but the CRL has no authority key identifier; Entra ID uses it to match a CRL to its CA.` };
    return { status: 'pass', note: c.signatureMessage };
  }
  if (c.signature === 'no-issuer-cert') {
    if (c.caRef) return { status: 'fail', problem: 'name', note: `The CRL's authority key identifier matches ${c.caRef} ("${caName(a, c.caRef)}"), but its issuer name "${c.issuer}" differs from that CA's subject: it is not that CA's CRL as issued.` };
    return { status: 'fail', problem: 'wrong-crl', note: `No certificate given is named "${c.issuer}": this CRL belongs to another CA (wrong CRL), or that CA's certificate was not uploaded.` };
  }
  return { status: 'fail', problem: 'key', note: `The CRL names "${c.issuer}" as its issuer, but ${c.signatureMessage}.` };
}

/**
 * Without a path to a root, a CRL issued by a CA the path never reached cannot be checked against it: that is
 * chain.build's finding (a missing CA certificate), not a second one.
 */
const AFTER_BUILD: Prerequisite = {
  check: 'chain.build',
  explains: ({ a, part }) => {
    const chain = a.chain;
    if (!chain || chain.complete || !part?.key.startsWith('crl:')) return undefined;
    const c = a.revocation?.crls.find((x) => x.source === part.key.slice(4));
    const item = c ? a.crls?.items[c.index] : undefined;
    if (!item || chain.path.some((e) => e.cert.subject.key === item.issuer.key)) return undefined;
    return `the CRL ${c!.source} comes from "${item.issuer.display}", which the certificate path does not reach`;
  },
};

export const crlSignature: CheckDef = {
  id: 'crl.signature',
  category: 'crl',
  title: 'CRLs are signed by their CA',
  description:
    "A CRL only counts when it comes from the CA that issued the certificates: its issuer name must equal the CA's subject, its authority key identifier must equal the CA's subject key identifier, and its signature must verify with the CA's public key. A CRL signed by another key (an old CA key, another CA) is rejected, and revocation cannot be checked.",
  citation: 'RFC 5280 sections 5.2.1 and 6.3.3 (f); Entra CBA CRL page and configuration guide (CRLs and certificates are matched to CAs by key identifiers: a user certificate needs an AKI and a CA an SKI, AADSTS500176 otherwise)',
  sources: [
    { key: 'E-CRL', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificate-revocation-list', says: 'CRLs are matched to CAs by AKI = SKI; SKI and AKI are required when CRLs are used' },
    { key: 'E-HOW', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-certificate-based-authentication', says: 'the PKI configuration must include SKI and AKI (AADSTS500176 otherwise)' },
  ],
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['chain', 'crls', 'revocation'],
  prerequisites: [AFTER_BUILD],
  applies: appliesToCrls,
  run(a) {
    const rows = a.revocation!.crls.map((c) => {
      const j = judge(a, c);
      return {
        crl: c.source,
        url: c.url ?? null,
        kind: c.kind,
        issuer: c.issuer,
        ca: c.caRef ? { ref: c.caRef, subject: caName(a, c.caRef) } : null,
        signedBy: c.signer ?? null,
        crlAuthorityKeyId: a.crls!.items[c.index]?.aki?.keyId ?? null,
        caSubjectKeyId: c.signer?.ski ?? null,
        akiMatch: c.aki,
        status: j.status,
        problem: j.problem ?? null,
        note: j.note,
      };
    });
    const status = worst(rows.map((r) => r.status));
    // Missing key identifiers on the certificates (Entra: AADSTS500176) are chain.profile's finding, not this check's.
    const evidence = { crls: rows };
    if (status === 'pass') return { status, summary: `All ${rows.length} CRL(s) are signed by their CA, with a matching authority key identifier.`, evidence };
    const bad = rows.filter((r) => r.status !== 'pass');
    const remediation: Remediation[] = [];
    const has = (p: string) => bad.some((r) => r.problem === p);
    if (has('wrong-crl') || has('name')) {
      // Name the CAs of the path that are left without a CRL of their own.
      const path = a.chain?.path ?? [];
      const below = a.chain?.complete ? path.slice(0, -1) : path;
      const without = [...new Set(below.map((e) => e.cert.issuer.display))].filter((ca) => !rows.some((r) => r.status === 'pass' && r.issuer === ca));
      const who = without.length ? `the CA ${without.map((n) => `"${n}"`).join(' and the CA ')}` : 'the issuing CA';
      remediation.push({
        text: `Give the CRL that ${who} itself publishes (the file at the URL in the CRL Distribution Points of the certificates it issued), and upload that CA's certificate. On an AD CS CA, publish a fresh CRL and take it from the CertEnroll folder:`,
        command: 'certutil -crl && dir %windir%\\System32\\CertSrv\\CertEnroll\\*.crl',
      });
    }
    if (has('key') || has('aki')) {
      const r = bad.find((x) => x.problem === 'key' || x.problem === 'aki')!;
      const caName = (a.certs ?? []).find((e) => e.ref === r.ca?.ref)?.fileName ?? 'issuing-ca.cer';
      const caForm = a.files?.find((f) => f.fileName === caName)?.kind === 'pem' ? 'PEM' : 'DER';
      // File names reach a command line only as plain words; otherwise the command names stand-ins.
      const caFile = inertFileName(caName, 'issuing-ca.cer');
      const crlFile = r.url ? 'downloaded.crl' : inertFileName(r.crl, 'ca.crl');
      const crlForm = a.crls!.items.find((c) => c.source.name === r.crl)?.format === 'pem' ? 'PEM' : 'DER';
      remediation.push({
        text: `The CRL was signed with a key other than the one in the CA certificate given (typically after a CA renewal with a new key, while the old CA certificate is still the one distributed). Publish a CRL signed by the CA's current key (on AD CS: certutil -crl) and distribute the CA certificate that holds that key. To see which CA certificate verifies ${r.crl}:`,
        command: `openssl x509 -inform ${caForm} -in ${caFile} -out ca.pem && openssl crl -inform ${crlForm} -in ${crlFile} -CAfile ca.pem -noout`,
      });
    }
    if (has('no-aki'))
      remediation.push({
        text: 'Publish CRLs that carry the Authority Key Identifier extension (AD CS always adds it; for an OpenSSL CA add it to the CRL extensions section and regenerate the CRL):',
        command: 'printf "[crl_ext]\\nauthorityKeyIdentifier=keyid:always\\n" >> openssl.cnf && openssl ca -config openssl.cnf -gencrl -crlexts crl_ext -out ca.crl.pem && openssl crl -in ca.crl.pem -outform DER -out ca.crl',
      });
    return {
      status,
      summary: `${bad.length} of ${rows.length} CRL(s) have a signature problem: ${bad.map((r) => `${r.crl}: ${r.note}`).join(' ')}`,
      parts: [...rows.map((r) => ({ key: `crl:${r.crl}`, label: r.crl, status: r.status, reason: r.note }))],
      evidence,
      remediation,
    };
  },
};
