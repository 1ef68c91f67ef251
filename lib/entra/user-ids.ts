// The certificateUserIds values Entra ID can bind this certificate to (Microsoft Learn: "Mapping to the
// certificateUserIds attribute in Microsoft Entra ID" and "Configure Microsoft Entra certificate-based
// authentication", issuer and serial number manual mapping):
// - prefixes X509:<PN>, <RFC822>, <I>…<S>…, <S>, <SKI>, <SHA1-PUKEY>, <I>…<SR>… are case-sensitive;
// - Issuer and Subject are written in the reverse order of the way Windows displays them (so most
//   significant RDN first, as encoded: "DC=com,DC=contoso,CN=CONTOSO-DC-CA"), comma-separated, no spaces;
// - the serial number is byte-reversed (certutil shows 48efa0…41b2, the value is b241…ef48), like the
//   altSecurityIdentities X509:<I>…<SR>… mapping, and the hex is lower-case as in Microsoft's examples;
// - SHA1-PUKEY is the certificate's SHA-1 hash (its thumbprint), as Microsoft's
//   Get-EntraUserCertificateUserIdsFromCertificate computes it.
import { attributeShortName, type ParsedName } from '@/lib/pki/name';
import type { Cert } from '@/lib/pki/cert';

export type Affinity = 'low' | 'high';
export interface UserIdValue {
  mapping: 'PrincipalName' | 'RFC822Name' | 'IssuerAndSubject' | 'Subject' | 'SKI' | 'SHA1PublicKey' | 'IssuerAndSerialNumber';
  affinity: Affinity;
  value: string | null;
  /** Why there is no value. */
  missing?: string;
}

/** Each certificateUserIds value is at most 1024 characters (Microsoft Learn). */
export const MAX_USER_ID_LENGTH = 1024;

// Names Windows (CertNameToStr) uses where they differ from lib/pki/name's short names.
const WINDOWS_NAMES: Record<string, string> = { '2.5.4.17': 'PostalCode', '2.5.4.13': 'Description', '2.5.4.18': 'POBox', '2.5.4.20': 'Phone', '2.5.4.46': 'dnQualifier' };

function quoteValue(v: string): string {
  // CryptoAPI quotes values with leading/trailing spaces or any of , + = " newline < > # ; and doubles quotes.
  return /^\s|\s$/.test(v) || /[,+="\r\n<>#;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A name as certificateUserIds wants it: every attribute in encoded order, "," between, no spaces. */
export function userIdName(n: ParsedName): string {
  return n.rdns
    .flat()
    .map((a) => `${WINDOWS_NAMES[a.type] ?? attributeShortName(a.type)}=${quoteValue(a.value)}`)
    .join(',');
}

/** Serial number bytes (as encoded, sign byte included) in reverse order, lower-case hex. */
export function reversedSerial(c: Cert): string {
  return (c.serialRawHex.match(/../g) ?? []).reverse().join('').toLowerCase();
}

export function certificateUserIds(c: Cert): UserIdValue[] {
  const upn = c.san?.find((g) => g.type === 'upn')?.value;
  const rfc822 = c.san?.find((g) => g.type === 'rfc822')?.value;
  const issuer = userIdName(c.issuer);
  const subject = userIdName(c.subject);
  const v = (mapping: UserIdValue['mapping'], affinity: Affinity, value: string | null, missing: string): UserIdValue =>
    value === null ? { mapping, affinity, value, missing } : { mapping, affinity, value };
  return [
    v('PrincipalName', 'low', upn ? `X509:<PN>${upn}` : null, 'the subject alternative name has no UPN'),
    v('RFC822Name', 'low', rfc822 ? `X509:<RFC822>${rfc822}` : null, 'the subject alternative name has no RFC822 name'),
    v('IssuerAndSubject', 'low', issuer && subject ? `X509:<I>${issuer}<S>${subject}` : null, 'the subject or issuer name is empty'),
    v('Subject', 'low', subject ? `X509:<S>${subject}` : null, 'the subject name is empty'),
    v('SKI', 'high', c.ski ? `X509:<SKI>${c.ski.toLowerCase()}` : null, 'the certificate has no Subject Key Identifier extension'),
    v('SHA1PublicKey', 'high', `X509:<SHA1-PUKEY>${c.sha1.toLowerCase()}`, ''),
    v('IssuerAndSerialNumber', 'high', issuer ? `X509:<I>${issuer}<SR>${reversedSerial(c)}` : null, 'the issuer name is empty'),
  ];
}

