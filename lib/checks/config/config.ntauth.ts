import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import { chainCas, lineAt, origin } from './common';
import { findCa, isNtAuth, safeCn, storeBlocks } from './stores';

const COMMAND = 'certutil -enterprise -store NTAuth';

export const configNtAuth: CheckDef = {
  id: 'config.ntauth',
  category: 'config',
  title: "The user's issuing CA is in the enterprise NTAuth store",
  description:
    "AD FS signs the user in against Active Directory with the certificate, and Active Directory accepts a certificate logon only when the CA that issued the certificate is published in the enterprise NTAuth store. Each server reads a local copy of that store, so a server that has not refreshed it can refuse users another server accepts.",
  citation: 'A-UCA (AD FS: configure user certificate authentication, prerequisites); CHECKS.md config.ntauth',
  reference: 'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-user-certificate-authentication',
  needs: ['paste', 'chain'],
  applies(a) {
    if (!storeBlocks(a, isNtAuth).length) return a.paste ? `No output of ${COMMAND} was found in what was pasted.` : `Nothing was pasted (paste the output of ${COMMAND} to run this check).`;
    if (a.target === 'entra') return 'The NTAuth store matters for sign-in through AD FS; this diagnosis is for Entra native certificate-based authentication.';
    return true;
  },
  run(a): Outcome {
    const blocks = storeBlocks(a, isNtAuth);
    const listed = blocks.flatMap((b) => b.data.certificates.map((c) => ({ ...origin(b), subject: c.subject, sha1: c.sha1, line: c.line })));
    const chain = chainCas(a);
    const issuing = chain?.[0];
    if (!issuing)
      return {
        status: 'info',
        summary: `The pasted NTAuth store lists ${listed.length} CA certificate${listed.length === 1 ? '' : 's'}${listed.length ? ` (${listed.map((c) => c.subject ?? c.sha1).join('; ')})` : ''}. Upload the user's certificate and its CA certificates to check that the issuing CA is among them.`,
        evidence: { store: 'NTAuth', certificates: listed },
      };
    const hit = findCa(issuing, blocks);
    let status: Status;
    let summary: string;
    if (hit?.by === 'thumbprint') {
      status = 'pass';
      summary = `The issuing CA ${issuing.subject} is in the NTAuth store (${lineAt(hit.cert.line, hit.block)}).`;
    } else if (hit) {
      status = 'fail';
      summary = `A certificate named ${issuing.subject} is in the NTAuth store (${lineAt(hit.cert.line, hit.block)}), but not the one that issued the user's certificate (thumbprint ${hit.cert.sha1 ?? 'not printed'} instead of ${issuing.sha1}): a renewed CA certificate must be published too.`;
    } else {
      status = 'fail';
      summary = `The issuing CA ${issuing.subject} is not in the NTAuth store (${listed.length} certificate${listed.length === 1 ? '' : 's'} listed), so Active Directory refuses the certificate logon AD FS asks for.`;
    }
    const evidence = {
      store: 'NTAuth',
      issuingCa: { subject: issuing.subject, sha1: issuing.sha1, found: hit ? { ...origin(hit.block), line: hit.cert.line, by: hit.by } : null, status },
      certificates: listed,
    };
    if (status === 'pass') return { status, summary, evidence };
    const file = `${safeCn(issuing.subject, 'IssuingCA')}.cer`.replace(/ /g, '_');
    const remediation: Remediation[] = [
      {
        text: `Export the issuing CA certificate (${issuing.subject}, thumbprint ${issuing.sha1}) to ${file}, then publish it to NTAuth as an Enterprise Admin:`,
        command: `certutil -dspublish -f ${file} NTAuthCA`,
      },
      { text: 'On each AD FS server, refresh the local copy of the store (or wait for Group Policy), then check it:', command: `certutil -pulse\n${COMMAND}` },
    ];
    return { status: worst([status]), summary, evidence, remediation };
  },
};
