// The tenant's trust stores as the entra.* checks read them. The CA objects are read by lib/paste/trusted-ca
// (Graph certificateAuthorityDetail, classic certificateAuthority, or the AzureAD module's Format-List);
// here they become TenantCa entries, whatever the source.
import { parseTrustedCaJson, trustedCaJsonObjects, CaCertificates } from '@/lib/paste/trusted-ca';
import type { TrustedCa, TrustedCaData } from '@/lib/paste/types';
import type { TenantCa } from './types';

export function tenantCa(r: TrustedCa, where: string): TenantCa {
  return {
    store: r.store,
    displayName: r.displayName,
    subject: r.certificate?.subject ?? r.issuer,
    ski: r.ski,
    sha1: r.certificate?.sha1 ?? null,
    root: r.authorityType === 'RootAuthority' ? true : r.authorityType === 'IntermediateAuthority' ? false : null,
    typeRaw: r.authorityTypeRaw,
    crlUrl: r.crlDistributionPoint,
    deltaCrlUrl: r.deltaCrlDistributionPoint,
    notAfter: r.certificate?.notAfter ?? r.expiration,
    issuerHintEnabled: r.issuerHintEnabled,
    subjectDerBytes: r.certificate?.subjectDerBytes ?? null,
    where,
  };
}

/** Trust-store JSON as Graph returns it (a live read): the same reader the paste path uses. */
export function parseTrustStoreJson(json: unknown): TrustedCaData {
  return parseTrustedCaJson(trustedCaJsonObjects(json), [], new CaCertificates());
}
