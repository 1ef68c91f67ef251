import { OID } from '@/lib/pki/cert';
import type { CheckDef } from '../types';
import { appliesToUser, certRef, EKU_NAMES, KB_URL, userEntry } from './common';

/** Purposes that let a device offer the certificate for TLS client authentication. */
export const CLIENT_AUTH_EKUS = [OID.ekuClientAuth, OID.ekuSmartCardLogon, OID.ekuAny] as const;

export const certEku: CheckDef = {
  id: 'cert.eku',
  category: 'cert',
  title: 'User certificate may be used for client authentication',
  description:
    'When a certificate has an Extended Key Usage extension, browsers and the Windows and mobile TLS stacks only offer it for client authentication if it lists Client Authentication, Smart Card Logon or Any Purpose. Without the extension RFC 5280 allows any purpose, but iOS and some other clients only offer a certificate that lists Client Authentication explicitly.',
  citation: 'RFC 5280 section 4.2.1.12; Microsoft Entra CBA with federation on iOS (the certificate must carry an EKU); CHECKS.md cert.eku',
  sources: [
    { key: 'RFC5280', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12', says: 'without the extension, any purpose' },
    { key: 'E-IOS', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/certificate-based-authentication-federation-ios', says: 'on iOS the certificate must use Enhanced Key Usage' },
  ],
  reference: KB_URL,
  needs: ['user'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const eku = e.cert.eku;
    const critical = e.cert.extensions.find((x) => x.oid === OID.eku)?.critical ?? null;
    const evidence = {
      certificate: certRef(e),
      present: eku !== undefined,
      critical,
      purposes: (eku ?? []).map((oid) => ({ oid, name: EKU_NAMES[oid] ?? null, allowsClientAuth: (CLIENT_AUTH_EKUS as readonly string[]).includes(oid) })),
    };
    if (!eku)
      return {
        status: 'warn',
        summary: 'The certificate has no Extended Key Usage extension: RFC 5280 then allows any purpose, but iOS and some other clients only offer a certificate for sign-in when it lists Client Authentication (1.3.6.1.5.5.7.3.2) explicitly.',
        evidence,
        remediation: [
          {
            text: `Have the user certificate "${e.cert.subject.display}" list Client Authentication: in its certificate template (certtmpl.msc > template > Properties > Extensions tab > Application Policies > Edit), add "Client Authentication", publish the change and re-enroll the user on their devices. Check the new certificate's "Enhanced Key Usage" with:`,
            command: 'certutil -dump user.cer',
          },
        ],
      };
    const ok = eku.filter((o) => (CLIENT_AUTH_EKUS as readonly string[]).includes(o));
    if (ok.length) return { status: 'pass', summary: `The Extended Key Usage includes ${ok.map((o) => EKU_NAMES[o]).join(' and ')}.`, evidence };
    const names = eku.map((o) => (EKU_NAMES[o] ? `${EKU_NAMES[o]} (${o})` : o));
    return {
      status: 'fail',
      summary: `The Extended Key Usage lists only ${names.join(', ')}: without Client Authentication (1.3.6.1.5.5.7.3.2) the device will not offer this certificate when AD FS or Entra ID asks for one.`,
      evidence,
      remediation: [
        {
          text: `The user certificate "${e.cert.subject.display}" must be issued again with Client Authentication: in its certificate template (certtmpl.msc > template > Properties > Extensions tab > Application Policies > Edit), add "Client Authentication" (or "Smart Card Logon" for smart cards), publish the change and re-enroll the user on their devices. The User and Smartcard User templates already include it. Check the new certificate's "Enhanced Key Usage" with:`,
          command: 'certutil -dump user.cer',
        },
      ],
    };
  },
};
