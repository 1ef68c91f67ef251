import type { Remediation, Status } from '@/lib/report/schema';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef } from '../types';

export const crlRevocation: CheckDef = {
  id: 'crl.revocation',
  category: 'crl',
  title: 'No certificate in the path is revoked',
  description:
    'Every certificate of the path except the root needs a revocation status from a valid CRL of its issuer (right issuer and scope, signed by a key that chains to the same root, current, with its delta CRL when one is published). A revoked or suspended (on hold) certificate is refused, and so is one whose status cannot be determined.',
  citation: 'RFC 5280 section 6.3 (CRL validation); KB 4032987 (revocation checking of the user and CA certificates)',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['chain', 'crls', 'revocation', 'crlFiles'],
  applies(a) {
    if (!a.chain) return 'No certificate chain was built.';
    if (!a.crls) return a.ctx.offline ? 'No CRL was given (--crl) and the diagnosis ran offline, so revocation was not checked.' : 'No CRL was given or downloaded.';
    if (!a.revocation) return 'Revocation was not evaluated.';
    return true;
  },
  run(a) {
    const r = a.revocation!;
    const rows = r.perCert.map((p) => ({
      ref: p.ref,
      subject: p.subject,
      serialNumber: p.serialHex,
      issuerRef: p.issuerRef ?? null,
      revocationStatus: p.status,
      revocationDate: p.revocationDate ?? null,
      reason: p.reason ?? null,
      onHold: p.hold ?? false,
      crls: p.crls,
      delta: p.delta?.status ?? null,
      status: (p.status === 'good' ? 'pass' : 'fail') as Status,
      note: p.message,
    }));
    const unreadable = (a.crlFiles?.problems ?? []).map((p) => ({ file: p.name, status: 'fail' as Status, note: p.message }));
    const evidence = { evaluatedAt: a.ctx.now.toISOString(), certificates: rows, unreadableCrlFiles: unreadable };
    if (!rows.length) return { status: 'skip', summary: 'The path holds no certificate below the root, so there is nothing to check for revocation.', evidence };
    const status = worst(rows.map((x) => x.status));
    if (status === 'pass') return { status, summary: `None of the ${rows.length} certificate(s) below the root is revoked, according to ${[...new Set(rows.flatMap((x) => x.crls))].join(', ')}.`, evidence };

    const revoked = rows.filter((x) => x.revocationStatus === 'revoked');
    const held = revoked.filter((x) => x.onHold);
    const undetermined = rows.filter((x) => x.revocationStatus === 'undetermined');
    const userRef = a.chain!.path[0]?.ref;
    const remediation: Remediation[] = [];
    for (const x of held)
      remediation.push({
        text: `"${x.subject}" is on hold (certificateHold), a suspension the CA can lift. If it was suspended by mistake, release it on the issuing CA and publish a new CRL:`,
        command: `certutil -revoke ${x.serialNumber} unrevoke && certutil -crl`,
      });
    for (const x of revoked.filter((y) => !y.onHold))
      remediation.push({
        text:
          x.ref === userRef
            ? `The user certificate "${x.subject}" was revoked (${x.reason}) and can never be used again: enrol the user for a new certificate.`
            : `The CA certificate "${x.subject}" was revoked (${x.reason}): every certificate below it is refused. The CA needs a new certificate and the certificates it issued must be re-issued.`,
      });
    if (undetermined.length && unreadable.length)
      remediation.push({ text: `These --crl files could not be read as CRLs: ${unreadable.map((u) => `${u.file} (${u.note})`).join('; ')}. Give the CRL files themselves (.crl, DER or PEM).` });
    if (undetermined.length)
      remediation.push({
        text: `Revocation could not be determined for ${undetermined.map((x) => `"${x.subject}"`).join(', ')}. Give the current CRL of the issuing CA with --crl (the file from its CertEnroll folder or CDP URL), or make the CDP URL reachable so it can be downloaded; each certificate's note says what was wrong with the CRLs that were available. Windows shows the same with:`,
        command: `certutil -verify -urlfetch ${a.chain!.path[0]?.fileName ?? 'user.cer'}`,
      });
    const parts = [
      ...revoked.map((x) => (x.onHold ? `"${x.subject}" (serial ${x.serialNumber}) is ON HOLD since ${x.revocationDate}` : `"${x.subject}" (serial ${x.serialNumber}) is REVOKED since ${x.revocationDate} (${x.reason})`)),
      ...undetermined.map((x) => `"${x.subject}": status undetermined (${x.note})`),
    ];
    return { status, summary: `${parts.join('; ')}.`, evidence, remediation };
  },
};
