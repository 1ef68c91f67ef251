// The AADSTS codes of certificate-based sign-in (list: shared/DOMAIN.md, "Sign-in error codes"; wording is
// ours, meanings from Microsoft's Entra error-code reference and the CBA troubleshooting pages). `checks`
// names the CBA Doctor checks that test the cause, so signin.error can say whether the report reproduces it.
export interface AadstsCode {
  code: number;
  meaning: string;
  causes: string[];
  checks: string[];
}

const CRL_CHECKS = ['entra.trust-store', 'crl.fetch', 'crl.format', 'crl.signature', 'crl.freshness'];

export const AADSTS_CODES: AadstsCode[] = [
  { code: 50017, meaning: 'Entra ID could not validate the certificate.', causes: ['a CA of the chain is not in the tenant trust store', 'the chain is broken or a CA certificate expired', 'the certificate is not valid for client authentication'], checks: ['entra.trust-store', 'chain.build', 'chain.path', 'cert.validity', 'cert.eku'] },
  { code: 50034, meaning: 'No user account was found for the sign-in.', causes: ['the address typed does not exist in the tenant', 'username binding mapped the certificate to no account'], checks: ['entra.user-binding', 'cert.san-upn'] },
  { code: 50192, meaning: 'Entra ID expected the certificate but none arrived.', causes: ['the user cancelled the certificate prompt or had no matching certificate', 'a proxy or TLS inspection device between the browser and certauth.login.microsoftonline.com strips the client certificate'], checks: ['entra.issuer-hints'] },
  { code: 90100, meaning: 'The request was malformed.', causes: ['the browser re-sent a certificate it remembered from an earlier sign-in; closing every browser window (or a private window) clears it'], checks: [] },
  { code: 130501, meaning: 'Certificate-based authentication is not enabled for this user.', causes: ['the x509Certificate method is disabled', 'the user is not in an included group, or is in an excluded group', 'a CA scope restricts the issuing CA to groups the user is not in'], checks: ['entra.method'] },
  { code: 1001000, meaning: 'Username binding found no user for the certificate.', causes: ['no binding maps a certificate field to a value of this user', 'only low-affinity bindings match while high affinity is required'], checks: ['entra.user-binding', 'entra.auth-strength'] },
  { code: 1001003, meaning: 'Username binding found no user for the certificate.', causes: ['no binding maps a certificate field to a value of this user', 'the value in certificateUserIds is written in another form (prefix case, name order, serial byte order)'], checks: ['entra.user-binding', 'cert.user-ids'] },
  { code: 500171, meaning: 'The certificate is revoked.', causes: ['the issuing CA lists the certificate on its CRL'], checks: ['crl.revocation'] },
  { code: 500172, meaning: 'The CRL Entra ID holds for a CA has expired.', causes: ['the CA stopped publishing, or its NextUpdate passed before a new CRL was posted'], checks: ['crl.freshness', 'entra.trust-store'] },
  { code: 500173, meaning: 'Entra ID could not download a CRL.', causes: ['the CRL URL configured on the CA in the tenant store is unreachable from the Internet, wrong, or not HTTP'], checks: ['entra.trust-store', 'crl.fetch'] },
  { code: 500174, meaning: 'A CRL Entra ID downloaded is not valid.', causes: ['the URL serves something other than a CRL, or a damaged one'], checks: CRL_CHECKS },
  { code: 500175, meaning: 'The signature of a CRL did not verify.', causes: ['the configured URL serves a CRL signed by another key (an old or another CA)'], checks: ['crl.signature', 'entra.trust-store'] },
  { code: 500176, meaning: 'A CA, or its key identifier, is missing from the trust store.', causes: ['a CA of the chain is not uploaded', 'the CA certificates lack Subject/Authority Key Identifiers, which Entra ID needs to use CRLs'], checks: ['entra.trust-store', 'chain.build'] },
  { code: 500177, meaning: 'A delta CRL is configured without a base CRL.', causes: ['the CA has a delta CRL URL but no base CRL URL in the tenant store'], checks: ['entra.trust-store', 'crl.delta'] },
  { code: 500178, meaning: 'A CRL problem: its issuer or its validity time is not what Entra ID expects.', causes: ['the CRL at the configured URL belongs to another CA', 'the CRL is not yet valid or already expired'], checks: ['entra.trust-store', 'crl.freshness'] },
  { code: 500179, meaning: 'A CRL problem: its issuer or its validity time is not what Entra ID expects.', causes: ['the CRL at the configured URL belongs to another CA', 'the CRL is not yet valid or already expired'], checks: ['entra.trust-store', 'crl.freshness'] },
  { code: 500183, meaning: 'The certificate is revoked (found on the delta CRL).', causes: ['the issuing CA revoked the certificate since its last base CRL'], checks: ['crl.revocation', 'crl.delta'] },
  { code: 2205011, meaning: 'The CRL is not DER encoded.', causes: ['the URL serves a PEM or base64 CRL, or an HTML page'], checks: ['crl.format', 'entra.trust-store'] },
  { code: 2205012, meaning: 'The CRL download timed out.', causes: ['the CRL server is slow or the CRL is large (Entra ID allows about 10 seconds)'], checks: ['crl.download-time', 'entra.trust-store'] },
  { code: 2205013, meaning: 'The CRL is larger than Entra ID accepts.', causes: ['the CRL is over the interactive download limit (20 MB in the public cloud)'], checks: ['crl.size'] },
  { code: 2205014, meaning: 'The CRL is larger than Entra ID accepts.', causes: ['the CRL is over the background download limit'], checks: ['crl.size'] },
  { code: 2205015, meaning: "The CRL's Authority Key Identifier does not match the CA's Subject Key Identifier.", causes: ['the CRL URL configured on this CA in the tenant store serves another CA\'s CRL'], checks: ['entra.trust-store'] },
  { code: 7000214, meaning: 'The certificate has been revoked.', causes: ['the certificate (or the credential of the application using it) is revoked'], checks: ['crl.revocation'] },
  { code: 50032, meaning: 'The RSA key is too weak.', causes: ['the certificate key is shorter than Entra ID accepts'], checks: ['cert.key'] },
];

export function aadsts(code: number): AadstsCode | undefined {
  return AADSTS_CODES.find((c) => c.code === code);
}

export const errorLookupUrl = (code: number) => `https://login.microsoftonline.com/error?code=${code}`;
