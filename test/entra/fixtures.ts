// Entra tenant JSON written from the Microsoft Graph documentation (x509CertificateAuthenticationMethodConfiguration,
// user, certificateAuthorityDetail, certificateAuthority, signIn), in the two shapes admins paste: Graph's own
// (Graph Explorer, Invoke-MgGraphRequest) and ConvertTo-Json of the Microsoft Graph PowerShell SDK objects, where
// declared properties are PascalCase and the x509-specific ones sit under AdditionalProperties. Values come from
// the certificates generated in the test, so SKIs and serials match.
import type { GenCert } from '@/test/pki/gen';

type J = Record<string, unknown>;

export interface BindingSpec {
  field: string;
  property: string;
  priority: number;
  affinity?: 'low' | 'high';
}

export interface MethodSpec {
  state?: 'enabled' | 'disabled';
  include?: string[];
  exclude?: string[];
  bindings?: BindingSpec[];
  defaultMode?: 'x509CertificateSingleFactor' | 'x509CertificateMultiFactor';
  defaultAffinity?: 'low' | 'high';
  rules?: J[];
  crlRequired?: boolean;
  exempted?: string[];
  scopes?: { ski: string; groups: string[] }[];
  hints?: 'enabled' | 'disabled';
}

export const ALL_USERS = 'all_users';

/** GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate, as Graph returns it. */
export function methodGraph(o: MethodSpec = {}): J {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity',
    '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
    id: 'X509Certificate',
    state: o.state ?? 'enabled',
    excludeTargets: (o.exclude ?? []).map((id) => ({ id, targetType: 'group' })),
    certificateUserBindings: (o.bindings ?? [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1 }]).map((b) => ({
      x509CertificateField: b.field,
      userProperty: b.property,
      priority: b.priority,
      ...(b.affinity ? { trustAffinityLevel: b.affinity } : {}),
    })),
    authenticationModeConfiguration: {
      x509CertificateAuthenticationDefaultMode: o.defaultMode ?? 'x509CertificateMultiFactor',
      x509CertificateDefaultRequiredAffinityLevel: o.defaultAffinity ?? 'low',
      rules: o.rules ?? [],
    },
    crlValidationConfiguration: { state: o.crlRequired ? 'enabled' : 'disabled', exemptedCertificateAuthoritiesSubjectKeyIdentifiers: o.exempted ?? [] },
    certificateAuthorityScopes: (o.scopes ?? []).map((s) => ({ subjectKeyIdentifier: s.ski, publicKeyInfrastructureIdentifier: 'Contoso PKI', includeTargets: s.groups.map((id) => ({ id, targetType: 'group' })) })),
    issuerHintsConfiguration: { state: o.hints ?? 'disabled' },
    'includeTargets@odata.context': "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('X509Certificate')/microsoft.graph.x509CertificateAuthenticationMethodConfiguration/includeTargets",
    includeTargets: (o.include ?? [ALL_USERS]).map((id) => ({ targetType: 'group', id, isRegistrationRequired: false })),
  };
}

const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
function pascalDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pascalDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as J).map(([k, x]) => [pascal(k), pascalDeep(x)]));
  return v;
}

/**
 * Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId X509Certificate
 * | ConvertTo-Json -Depth 10: the base type's properties (Id, State, ExcludeTargets) declared, the rest in AdditionalProperties.
 */
export function methodPowerShell(o: MethodSpec = {}): J {
  const g = methodGraph(o);
  const extra: J = {};
  for (const [k, v] of Object.entries(g)) if (!['id', 'state', 'excludeTargets', '@odata.context'].includes(k)) extra[k] = v;
  return { Id: g.id, State: g.state, ExcludeTargets: pascalDeep(g.excludeTargets), AdditionalProperties: extra };
}

export interface UserSpec {
  upn: string;
  onPrem?: string | null;
  ids?: string[];
}

/** GET /v1.0/users/{upn}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo */
export function userGraph(u: UserSpec): J {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo)/$entity',
    id: '6e7b768e-07e2-4810-8459-485f84f8f204',
    userPrincipalName: u.upn,
    onPremisesUserPrincipalName: u.onPrem ?? null,
    mail: u.upn,
    authorizationInfo: { certificateUserIds: u.ids ?? [] },
  };
}

/** Get-MgUser -UserId ... -Property Id,UserPrincipalName,OnPremisesUserPrincipalName,Mail,AuthorizationInfo | ConvertTo-Json -Depth 10 */
export function userPowerShell(u: UserSpec): J {
  return {
    AboutMe: null,
    AccountEnabled: null,
    AuthorizationInfo: { CertificateUserIds: u.ids ?? [], AdditionalProperties: {} },
    DisplayName: null,
    Id: '6e7b768e-07e2-4810-8459-485f84f8f204',
    Mail: u.upn,
    OnPremisesUserPrincipalName: u.onPrem ?? null,
    UserPrincipalName: u.upn,
    AdditionalProperties: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo)/$entity' },
  };
}

export function groupsGraph(ids: string[]): J {
  return { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id)', value: ids.map((id) => ({ '@odata.type': '#microsoft.graph.group', id })) };
}

/** Get-MgUserTransitiveMemberOf -UserId ... -All | ConvertTo-Json -Depth 10 */
export function groupsPowerShell(ids: string[]): J[] {
  return ids.map((id) => ({ DeletedDateTime: null, Id: id, AdditionalProperties: { '@odata.type': '#microsoft.graph.group' } }));
}

export interface StoreCa {
  cert: GenCert;
  root: boolean;
  crl?: string | null;
  delta?: string | null;
  hint?: boolean;
}

/** GET /beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/{id}/certificateAuthorities */
export function pkiStoreGraph(cas: StoreCa[]): J {
  return {
    '@odata.context': "https://graph.microsoft.com/beta/$metadata#directory/publicKeyInfrastructure/certificateBasedAuthConfigurations('Contoso%20PKI')/certificateAuthorities",
    value: cas.map((c, i) => ({
      id: `2f3c46e1-0000-4000-8000-00000000000${i}`,
      displayName: c.cert.subject,
      certificate: Buffer.from(c.cert.der).toString('base64'),
      certificateAuthorityType: c.root ? 'root' : 'intermediate',
      certificateRevocationListUrl: c.crl ?? null,
      deltaCertificateRevocationListUrl: c.delta ?? null,
      isIssuerHintEnabled: c.hint ?? false,
      issuer: c.cert.subject,
      issuerSubjectKeyIdentifier: c.cert.ski.toUpperCase(),
      thumbprint: '',
      expirationDateTime: c.cert.notAfter.toISOString(),
      createdDateTime: c.cert.notBefore.toISOString(),
    })),
  };
}

/** Get-MgBetaDirectoryPublicKeyInfrastructureCertificateBasedAuthConfigurationCertificateAuthority ... | ConvertTo-Json -Depth 10 (the certificate as a byte array). */
export function pkiStorePowerShell(cas: StoreCa[]): J[] {
  const g = pkiStoreGraph(cas).value as J[];
  return g.map((o) => ({ ...(pascalDeep({ ...o, certificate: undefined }) as J), Certificate: [...Buffer.from(String(o.certificate), 'base64')], AdditionalProperties: {} }));
}

/** GET /v1.0/organization/{id}/certificateBasedAuthConfiguration (the classic store). */
export function classicStoreGraph(cas: StoreCa[]): J {
  return {
    '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#organization('84f8f204')/certificateBasedAuthConfiguration",
    value: [
      {
        id: '29728ade-6ae4-4ee9-9103-412912537da5',
        certificateAuthorities: cas.map((c) => ({
          isRootAuthority: c.root,
          certificateRevocationListUrl: c.crl ?? null,
          deltaCertificateRevocationListUrl: c.delta ?? null,
          certificate: Buffer.from(c.cert.der).toString('base64'),
          issuer: c.cert.subject,
          issuerSki: c.cert.ski.toUpperCase(),
        })),
      },
    ],
  };
}

export interface SignInSpec {
  code: number;
  correlationId?: string;
  at?: string;
  reason?: string;
}

/** GET /v1.0/auditLogs/signIns?$filter=correlationId eq '...' */
export function signInsGraph(entries: SignInSpec[]): J {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns',
    value: entries.map((e, i) => ({
      id: `66ea54eb-6301-4ee5-be62-ff5a759b0${String(100 + i)}`,
      createdDateTime: e.at ?? '2026-12-01T09:12:44Z',
      userDisplayName: 'Alice Smith',
      userPrincipalName: 'alice@contoso.com',
      appDisplayName: 'Office 365 Exchange Online',
      correlationId: e.correlationId ?? 'd79f5bee-5860-4832-928f-3133e22ae912',
      status: { errorCode: e.code, failureReason: e.reason ?? 'Other.', additionalDetails: null },
      authenticationDetails: [{ authenticationMethod: 'X.509 Certificate', succeeded: e.code === 0, authenticationStepResultDetail: e.reason ?? '' }],
    })),
  };
}

/** Get-MgAuditLogSignIn -Filter ... | ConvertTo-Json -Depth 10 */
export function signInsPowerShell(entries: SignInSpec[]): J[] {
  return (signInsGraph(entries).value as J[]).map((o) => ({ ...(pascalDeep(o) as J), AdditionalProperties: {} }));
}

/** The error page's details as "Copy info to clipboard" gives them. */
export function errorPage(code: number, message: string, correlationId = 'a1b2c3d4-0000-4000-8000-123456789abc'): string {
  return [
    'Request Id: 7e2d3c1a-4b5f-4e6d-9c8b-0a1b2c3d4e5f',
    `Correlation Id: ${correlationId}`,
    'Timestamp: 2026-12-01T09:12:44.118Z',
    `Message: AADSTS${code}: ${message}`,
    'Advanced diagnostics: Disable',
  ].join('\n');
}

export const json = (v: unknown) => JSON.stringify(v, null, 2);
/** ConvertTo-Json indents with 2 spaces in PowerShell 7 and 4 in Windows PowerShell; both parse the same. */
export const psJson = (v: unknown) => JSON.stringify(v, null, 4);
