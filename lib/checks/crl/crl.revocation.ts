import { certutilUnrevoke, certutilVerifyUrlfetch, fix } from '@/lib/commands/windows';
import { fileOf } from '../chain/common';
import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import { failureText } from '@/lib/net/crl-report';
import { isFetchable, urlScheme } from '@/lib/net/crl-targets';
import { ENTRA_DEEP_DIVE_URL } from '../chain/common';
import { worst, type CheckDef } from '../types';
import { REVOCATION_PREREQUISITES } from './prerequisites';

/** What happened to each CRL URL named for this certificate (its CDP and Freshest CRL), so an undetermined
 *  status says which download went wrong rather than only "no CRL". */
function crlSources(a: Artifacts, ref: string) {
  const entry = a.chain?.path.find((e) => e.ref === ref);
  const issuerKey = entry?.cert.issuer.key;
  const downloads = (a.crlDownloads ?? [])
    .filter((d) => d.forRef === ref)
    .map((d) => {
      let outcome: string;
      let ok = false;
      if (d.fetch.error || !d.fetch.ok) outcome = `download failed: ${failureText(d)}`;
      else if (!d.parsed) outcome = `not a CRL: ${d.parseError ?? 'unreadable'}`;
      else if (issuerKey && d.parsed.issuer.key !== issuerKey) outcome = `serves a CRL issued by "${d.parsed.issuer.display}", not by "${entry!.cert.issuer.display}"`;
      else {
        ok = true;
        outcome = 'downloaded';
      }
      return { url: d.fetch.url, kind: d.kind, ok, outcome };
    });
  const urls = [...new Set((entry?.cert.cdp ?? []).flatMap((dp) => dp.urls))];
  const notFetched = urls.filter((u) => !isFetchable(u)).map((url) => ({ url, scheme: urlScheme(url) }));
  const why: string[] = downloads.filter((d) => !d.ok).map((d) => `${d.url}: ${d.outcome}.`);
  if (a.crlDownloads && !urls.some(isFetchable))
    why.push(
      notFetched.length
        ? `Its CRL distribution points are ${[...new Set(notFetched.map((n) => n.scheme.toUpperCase()))].join('/')} only (${notFetched.map((n) => n.url).join(', ')}), which are not fetched (Entra ID does not use them either).`
        : 'It names no CRL distribution point.',
    );
  return { downloads, why };
}

export const crlRevocation: CheckDef = {
  id: 'crl.revocation',
  category: 'crl',
  title: 'No certificate in the path is revoked',
  description:
    'Every certificate of the path except the root needs a revocation status from a valid CRL of its issuer (right issuer and scope, signed by a key that chains to the same root, current, with its delta CRL when one is published). A revoked or suspended (on hold) certificate is refused, and so is one whose status cannot be determined.',
  citation: 'RFC 5280 section 6.3 (CRL validation); KB 4032987 (revocation checking of the user and CA certificates)',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['chain', 'crls', 'revocation', 'crlFiles'],
  prerequisites: REVOCATION_PREREQUISITES,
  applies(a) {
    if (!a.chain) return 'No certificate chain was built.';
    if (!a.crls) return a.ctx.offline ? 'No CRL was given (--crl) and the diagnosis ran offline, so revocation was not checked.' : 'No CRL was given or downloaded.';
    if (!a.revocation) return 'Revocation was not evaluated.';
    return true;
  },
  run(a) {
    const r = a.revocation!;
    const rows = r.perCert.map((p) => {
      const src = crlSources(a, p.ref);
      return {
        ref: p.ref,
        subject: p.subject,
        serialNumber: p.serialHex,
        issuerRef: p.issuerRef ?? null,
        issuer: a.chain!.path.find((e) => e.ref === p.ref)?.cert.issuer.display ?? null,
        revocationStatus: p.status,
        revocationDate: p.revocationDate ?? null,
        reason: p.reason ?? null,
        onHold: p.hold ?? false,
        crls: p.crls,
        delta: p.delta?.status ?? null,
        status: (p.status === 'good' ? 'pass' : 'fail') as Status,
        crlDownloads: src.downloads,
        note: p.status === 'undetermined' && src.why.length ? `${p.message} ${src.why.join(' ')}` : p.message,
      };
    });
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
      remediation.push(fix(`"${x.subject}" is on hold (certificateHold), a suspension the CA can lift. If it was suspended by mistake, release it on the issuing CA and publish a new CRL:`, certutilUnrevoke(x.serialNumber), 'the serial number', x.serialNumber));
    for (const x of revoked.filter((y) => !y.onHold))
      remediation.push({
        text:
          x.ref === userRef
            ? `The user certificate "${x.subject}" was revoked (${x.reason}) and can never be used again: re-enroll the user for a new certificate on their device from its certificate template.`
            : `The ${x.ref === a.chain!.path[a.chain!.path.length - 1]?.ref ? 'root' : 'intermediate'} CA certificate "${x.subject}" was revoked (${x.reason}): every certificate below it is refused. Renew it on its parent CA with a new key, republish the new CA certificate to the stores (AD FS/WAP servers, NTAuth, devices) and to the tenant's trusted certificate authorities, and re-issue the certificates it signed.`,
      });
    if (undetermined.length && unreadable.length)
      remediation.push({ text: `These --crl files could not be read as CRLs: ${unreadable.map((u) => `${u.file} (${u.note})`).join('; ')}. Give the CRL files themselves (.crl, DER or PEM).` });
    if (undetermined.length)
      remediation.push({
        // Name the CA whose CRL is missing for each certificate: for a CA certificate that is the CA above it, not the issuing CA.
        text: `Revocation could not be determined for ${undetermined.map((x) => `"${x.subject}" (needs the CRL of "${x.issuer ?? 'its issuer'}")`).join(', ')}. Give those CRLs with --crl (the files from each CA's CertEnroll folder or CDP URL), or make the CDP URLs reachable so they can be downloaded; each certificate's note says what was wrong with the CRLs that were available. Windows shows the same with:`,
        command: certutilVerifyUrlfetch(a.chain!.path[0] ? fileOf(a.chain!.path[0]) : 'user.cer'),
      });
    const parts = [
      ...revoked.map((x) =>
        x.onHold
          ? `"${x.subject}" (serial ${x.serialNumber}) is ON HOLD since ${x.revocationDate} according to ${x.crls.join(' + ')}`
          : `"${x.subject}" (serial ${x.serialNumber}) is REVOKED since ${x.revocationDate} (${x.reason}) according to ${x.crls.join(' + ')}`,
      ),
      ...undetermined.map((x) => `"${x.subject}" (serial ${x.serialNumber}): status undetermined (${x.note.replace(/\.$/, '')})`),
    ];
    return { status, summary: `${parts.join('; ')}.`, evidence, remediation, parts: rows.map((x) => ({ key: x.ref, label: `"${x.subject}"`, status: x.status, reason: x.revocationStatus === 'good' ? 'not revoked' : x.revocationStatus })) };
  },
};
