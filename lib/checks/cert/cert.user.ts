import { isCaCert } from '@/lib/pki/cert';
import { isStatusSigner, selectionReasons } from '@/lib/pki/collect';
import type { CertEntry } from '@/lib/pki/types';
import type { CheckDef } from '../types';
import { certRef, KB_URL } from './common';

const FIND_AND_EXPORT = {
  text: 'On the user\'s Windows device, list the personal certificates that can be used for client authentication, then export the right one without its private key (DER .cer) and upload it with its CA certificates.',
  command:
    "Get-ChildItem Cert:\\CurrentUser\\My | Where-Object { $_.EnhancedKeyUsageList.Count -eq 0 -or $_.EnhancedKeyUsageList.ObjectId -contains '1.3.6.1.5.5.7.3.2' } | Format-List Subject, Issuer, Thumbprint, NotAfter; Export-Certificate -Cert Cert:\\CurrentUser\\My\\<THUMBPRINT> -FilePath user.cer -Type CERT",
};

const CHOOSE = {
  text: 'If another uploaded certificate is the one the device offers at sign-in, run the diagnosis again with it as the user\'s: in the portal pick it under "User certificate"; with the API send userCertificate (its 0-based index or SHA-256 thumbprint); with the CLI add --user FILE.',
};

/** Certificates listed one by one in the evidence; beyond this, a count. */
export const MAX_LISTED = 50;
/** Certificates named in the summary; beyond this, "and N more". */
const MAX_NAMED = 10;

function nameSome<T>(xs: T[], name: (x: T) => string): string {
  const shown = xs.slice(0, MAX_NAMED).map(name).join('; ');
  return xs.length > MAX_NAMED ? `${shown}; and ${(xs.length - MAX_NAMED).toLocaleString('en-US')} more` : shown;
}

/** Refs of the rows the evidence lists: the chosen certificate, then candidates best first, then the rest in order. */
function listedCertificates(certs: CertEntry[], chosen: string | undefined, candidates: CertEntry[]): Set<string> {
  const out = new Set<string>();
  for (const ref of [chosen, ...candidates.map((c) => c.ref), ...certs.map((c) => c.ref)]) {
    if (out.size >= MAX_LISTED) break;
    if (ref) out.add(ref);
  }
  return out;
}

export const certUser: CheckDef = {
  id: 'cert.user',
  category: 'cert',
  title: 'One user certificate to diagnose',
  description:
    'The diagnosis needs the certificate issued to the user: among the uploaded certificates that issued none of the others, the tool prefers one that is not a CA, is not a CRL or OCSP signer, holds the typed address in its SAN, and has the Client Authentication EKU. A CA certificate cannot be a sign-in certificate; its path is still validated. The choice can be overridden (portal, API userCertificate, CLI --user).',
  citation: 'CHECKS.md cert.user; RFC 5280 4.2.1.3, 4.2.1.9, 4.2.1.12; KB 4032987 (the user certificate and its issuing CA chain)',
  reference: KB_URL,
  needs: ['certs', 'user'],
  applies: (a) => (a.certs?.length || a.input.files.length ? true : 'No certificate was given.'),
  run(a) {
    const certs = a.certs ?? [];
    const candidates = a.user?.candidates ?? [];
    const chosen = a.user?.user;
    const requested = a.user?.requested;
    const upn = a.input.upn;
    const candidateRefs = new Set(candidates.map((c) => c.ref));
    // A whole certificate store uploaded by mistake must not become a report of thousands of rows: the evidence lists
    // the chosen certificate, the best-ranked candidates and the first others, and says how many there were in all.
    const listed = listedCertificates(certs, chosen?.ref, candidates);
    const evidence = {
      certificates: certs.flatMap((e, index) =>
        listed.has(e.ref)
          ? [
              {
                ...certRef(e),
                index,
                sha256: e.cert.sha256,
                isCa: isCaCert(e.cert),
                statusSigner: isStatusSigner(e.cert),
                endEntity: candidateRefs.has(e.ref),
                status: e.ref === chosen?.ref ? 'selected' : candidateRefs.has(e.ref) ? 'candidate' : 'not a user certificate',
                reasons: candidateRefs.has(e.ref) ? selectionReasons(e.cert, upn).reasons : [],
              },
            ]
          : [],
      ),
      ...(listed.size < certs.length ? { certificatesNotListed: certs.length - listed.size } : {}),
      selected: chosen ? { ...certRef(chosen), sha256: chosen.cert.sha256, reasons: selectionReasons(chosen.cert, upn).reasons } : null,
      candidates: candidates.slice(0, MAX_LISTED).map((c) => c.ref),
      ...(candidates.length > MAX_LISTED ? { candidatesNotListed: candidates.length - MAX_LISTED } : {}),
      requested: requested ?? null,
      chosenBy: requested?.found ? 'request' : 'ranking',
    };
    if (requested && !requested.found) {
      return {
        status: 'fail',
        summary: `The certificate asked for as the user's ("${requested.value}") is not among the ${certs.length} uploaded certificate(s)${chosen ? `; the diagnosis uses ${chosen.cert.subject.display} instead` : ''}.`,
        evidence,
        remediation: [{ text: 'Give the 0-based index of the certificate in the upload, or its SHA-256 thumbprint (64 hexadecimal characters), and upload that certificate.' }],
      };
    }
    if (!chosen || candidates.length === 0) {
      return {
        status: 'fail',
        summary: certs.length
          ? `None of the ${certs.length} certificate(s) is a user certificate: each one is a self-signed root or issued another uploaded certificate.`
          : 'No certificate could be read from the uploaded files, so there is no user certificate to diagnose.',
        evidence,
        remediation: [FIND_AND_EXPORT],
      };
    }
    if (isCaCert(chosen.cert)) {
      return {
        status: 'fail',
        summary: `The certificate diagnosed as the user's, ${chosen.cert.subject.display} (${chosen.fileName}), is a CA certificate (basic constraints cA=TRUE): a CA certificate cannot be a sign-in certificate. Its path was still checked.`,
        evidence,
        remediation: [FIND_AND_EXPORT],
      };
    }
    if (requested?.found) {
      return { status: 'pass', summary: `The user certificate is ${chosen.cert.subject.display} (${chosen.fileName}), as asked.`, evidence };
    }
    // Other leaves that rank as high on the essentials (not a CA, not a CRL/OCSP signer) are real alternatives.
    const essentials = (c: CertEntry) => selectionReasons(c.cert, upn).score.slice(0, 2).join();
    const best = essentials(chosen);
    const rivals = candidates.filter((c) => c !== chosen && essentials(c) === best);
    // A set, not rivals.includes: thousands of candidates made this quadratic.
    const rivalSet = new Set(rivals);
    const excluded = candidates.filter((c) => c !== chosen && !rivalSet.has(c));
    const why = selectionReasons(chosen.cert, upn).reasons.join(', ');
    const set = excluded.length
      ? ` The other end-entity certificate(s) (${nameSome(excluded, (o) => `${o.cert.subject.display}: ${isStatusSigner(o.cert) ? 'a CRL or OCSP signer' : 'a CA certificate'}`)}) are not sign-in certificates.`
      : '';
    if (!rivals.length) {
      return { status: 'pass', summary: `The user certificate is ${chosen.cert.subject.display} (${chosen.fileName}).${set}`, evidence };
    }
    return {
      status: 'warn',
      summary: `${rivals.length + 1} user certificates were found; the diagnosis uses ${chosen.cert.subject.display} (${chosen.fileName}, serial ${chosen.cert.serialHex}) because ${why}, and ignores ${nameSome(rivals, (o) => o.cert.subject.display)}.${set}`,
      evidence,
      remediation: [
        {
          text: 'Upload only the certificate the device offers at sign-in together with its CA certificates, or type the user\'s sign-in address so the certificate whose subject alternative name holds it is chosen.',
        },
        CHOOSE,
        FIND_AND_EXPORT,
      ],
    };
  },
};
