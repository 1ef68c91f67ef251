// Shared pieces of the user-certificate checks: finding the selected user certificate and describing it.
import { isCaCert, type Cert } from '@/lib/pki/cert';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CertEntry } from '@/lib/pki/types';

export const KB_URL = 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue';
export const ENTRA_CBA_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-certificate-based-authentication';
export const CERT_USER_IDS_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificateuserids';

export function userEntry(a: Artifacts): CertEntry | undefined {
  return a.user?.user;
}

/** Every user-certificate check has nothing to look at without a user certificate. */
export function appliesToUser(a: Artifacts): true | string {
  const user = userEntry(a);
  // A CA certificate in the user's place fails cert.user; judging it as a sign-in certificate would only repeat that.
  if (user && isCaCert(user.cert)) return 'The certificate in the user\'s place is a CA certificate, which cannot be a sign-in certificate (see cert.user).';
  if (user) return true;
  return a.certs?.length ? 'No user (end-entity) certificate was found among the uploaded certificates (see cert.user).' : 'No user certificate was given.';
}

/** How the report names the certificate a check looked at. */
export function certRef(e: CertEntry) {
  return {
    ref: e.ref,
    fileName: e.fileName,
    subject: e.cert.subject.display,
    issuer: e.cert.issuer.display,
    serialNumber: e.cert.serialHex,
    thumbprint: e.cert.sha1,
  };
}

const DAY = 86_400_000;

/** Whole days from `from` to `to` (negative when `to` is earlier), rounded towards `from`. */
export function daysBetween(from: Date, to: Date): number {
  return Math.trunc((to.getTime() - from.getTime()) / DAY);
}

/** A value quoted as a PowerShell single-quoted literal (every PowerShell single-quote character doubled). */
export { psLiteral as psQuote } from '@/lib/commands/powershell';

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'Secure Email',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '1.3.6.1.4.1.311.20.2.2': 'Smart Card Logon',
  '1.3.6.1.4.1.311.10.3.4': 'Encrypting File System',
  '1.3.6.1.4.1.311.10.3.12': 'Document Signing',
  '1.3.6.1.4.1.311.20.2.1': 'Certificate Request Agent',
  '1.3.6.1.5.2.3.5': 'KDC Authentication',
  '1.3.6.1.5.5.8.2.2': 'IP security IKE intermediate',
  '2.5.29.37.0': 'Any Purpose',
};

/** SAN entries for evidence, with their types. */
export function sanEvidence(c: Cert): { type: string; value: string; oid?: string }[] {
  return (c.san ?? []).map((g) => ({ type: g.type, value: g.value, ...(g.oid ? { oid: g.oid } : {}) }));
}

/** A date for summaries: "2027-10-27 19:24 UTC" (evidence keeps full ISO strings). */
export function fmtDate(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
