// Test helper: the parts of each parsed block the checks judge, so variants of a paste can be compared.
import type { PasteBlock, PasteResult } from '@/lib/paste/types';

export function digest(b: PasteBlock): unknown {
  switch (b.kind) {
    case 'adfs-auth-provider':
      return b.data.providers.map((p) => [p.name, p.adminName, p.allowedForPrimaryExtranet?.value, p.allowedForPrimaryIntranet?.value]);
    case 'msol-federation':
    case 'mg-federation':
      return [b.data.promptLoginBehavior?.value ?? null, b.data.id, b.data.issuerUri, b.data.preferredAuthenticationProtocol, b.data.federationHost];
    case 'netsh-urlacl':
      return b.data.reservations.map((r) => [r.url, r.users.map((u) => [u.user, u.listen, u.delegate]), r.sddl]);
    case 'netsh-sslcert':
      return b.data.bindings.map((x) => [x.endpoint, x.certificateHash, x.applicationId, x.ctlStoreName?.value ?? null, x.negotiateClientCertificate?.value ?? null]);
    case 'certutil-urlfetch':
      return [
        b.data.subject,
        b.data.elements.map((e) => [e.index, e.subject, e.thumbprint, e.urls.map((u) => [u.section, u.status, u.urls, u.error])]),
        b.data.chainErrors.map((c) => c.value),
        b.data.errors.map((e) => e.text),
        b.data.completedSuccessfully,
        b.data.leafRevocationPassed,
      ];
    case 'trusted-ca':
      return b.data.authorities.map((a) => [a.authorityType, a.crlDistributionPoint, a.deltaCrlDistributionPoint, a.issuer, a.ski]);
    case 'claim-rules':
      return b.data.sets.map((s) => [s.trust, s.trustName, s.rules.map((r) => r.passThrough)]);
    case 'reg-schannel':
      return b.data.values.map((v) => [v.key, v.name, v.type, v.value]);
    case 'adfs-properties':
      return [b.data.hostName?.value ?? null, b.data.httpsPort?.value ?? null, b.data.tlsClientPort?.value ?? null];
    case 'adfs-ssl-certificate':
      return b.data.bindings.map((x) => [x.hostName, x.port, x.certificateHash]);
    case 'winhttp-proxy':
      return [b.data.direct?.value ?? null, b.data.proxyServer?.value ?? null, b.data.bypassList?.value ?? null];
    case 'verifystore':
      return [b.data.store, b.data.certificates.map((c) => [c.subject, c.issuer, c.sha1, c.selfIssued, c.valid])];
  }
}

export function digestAll(r: PasteResult): unknown[] {
  return r.blocks.map((b) => [b.kind, digest(b)]);
}
