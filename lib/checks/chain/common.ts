// What the chain and CRL checks share: how a path certificate is named in evidence, and links.
import { inertArg } from '@/lib/commands/native';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CertEntry } from '@/lib/pki/types';

export const RFC5280_URL = 'https://www.rfc-editor.org/rfc/rfc5280';
export const KB_URL = 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue';
export const ENTRA_CA_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-configure-certificate-authorities';
export const ENTRA_DEEP_DIVE_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive';

export function certId(e: CertEntry) {
  return {
    ref: e.ref,
    fileName: e.fileName,
    source: e.source,
    ...(e.url ? { url: e.url } : {}),
    subject: e.cert.subject.display,
    issuer: e.cert.issuer.display,
    serialNumber: e.cert.serialHex,
    thumbprint: e.cert.sha1,
    notBefore: e.cert.notBefore.toISOString(),
    notAfter: e.cert.notAfter.toISOString(),
  };
}

/** The chain checks have nothing to look at without a user certificate. */
export function appliesToChain(a: Artifacts): true | string {
  if (!a.user?.user) return a.certs?.length ? 'No user (end-entity) certificate was found among the uploaded certificates (see cert.user).' : 'No certificate was given.';
  if (!a.chain) return 'No certificate chain was built.';
  return true;
}

/** Where the user certificate file is, for commands: the uploaded file name. */
/** The certificate's file name for a command line: as uploaded when it is a plain word, else `<ref>.cer`. */
export function fileOf(e: CertEntry): string {
  return inertArg(e.fileName) ?? `${inertArg(e.ref) ?? 'user'}.cer`;
}
