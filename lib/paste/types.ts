// Artifacts parsed from pasted admin command output. Owned by lib/paste.
// Parsers return plain, structured data (never verdicts): the config.* checks judge it.

export const PASTE_KINDS = [
  'adfs-auth-provider',
  'msol-federation',
  'mg-federation',
  'netsh-urlacl',
  'netsh-sslcert',
  'certutil-urlfetch',
  'trusted-ca',
  'claim-rules',
  'verifystore',
  'reg-schannel',
  'adfs-properties',
  'adfs-ssl-certificate',
  'winhttp-proxy',
  'entra-method',
  'entra-user',
  'entra-groups',
  'signin-log',
  'signin-error-page',
] as const;
export type PasteKind = (typeof PASTE_KINDS)[number];

/** A value as read from the paste, with the line it came from (1-based in that pasted text) quoted. */
export interface Quoted<T = string> {
  value: T;
  line: number;
  /** The source line, trimmed and cut to a reasonable length. */
  text: string;
}

// ---- Get-AdfsAuthenticationProvider ----
export interface AuthProvider {
  name: string | null;
  adminName: string | null;
  allowedForPrimaryExtranet: Quoted<boolean | null> | null;
  allowedForPrimaryIntranet: Quoted<boolean | null> | null;
  allowedForAdditionalAuthentication: boolean | null;
  isCustom: boolean | null;
  line: number;
  text: string;
}
export interface AdfsAuthProviderData {
  providers: AuthProvider[];
}

// ---- Get-MsolDomainFederationSettings / Get-MgDomainFederationConfiguration ----
export interface FederationSettingsData {
  /** Absent property → null; present but empty → value ''. */
  promptLoginBehavior: Quoted | null;
  preferredAuthenticationProtocol: string | null;
  supportsMfa: string | null;
  issuerUri: string | null;
  /** Host names of the sign-in / sign-out URIs (the federation host). */
  federationHost: string | null;
  /** Graph: the internalDomainFederation id (needed by Update-MgDomainFederationConfiguration). */
  id: string | null;
  /** Format-List or Graph JSON. */
  format: 'list' | 'json';
}

// ---- netsh http show urlacl ----
export interface UrlAclUser {
  user: string;
  listen: boolean | null;
  delegate: boolean | null;
  line: number;
}
export interface UrlReservation {
  url: string;
  users: UrlAclUser[];
  sddl: string | null;
  line: number;
  text: string;
}
export interface NetshUrlAclData {
  reservations: UrlReservation[];
}

// ---- netsh http show sslcert ----
export interface SslBinding {
  /** The endpoint as printed: sts.contoso.com:49443, 0.0.0.0:443, [::]:443, 443 (ccs). */
  endpoint: string;
  endpointType: 'hostnameport' | 'ipport' | 'ccs';
  host: string | null;
  port: number | null;
  certificateHash: string | null;
  applicationId: string | null;
  certificateStoreName: string | null;
  /** null when netsh prints (null) or nothing. */
  ctlIdentifier: string | null;
  ctlStoreName: Quoted<string | null> | null;
  negotiateClientCertificate: Quoted<boolean | null> | null;
  /** Every property as printed, keyed by its name. */
  properties: Record<string, string>;
  line: number;
  text: string;
}
export interface NetshSslCertData {
  bindings: SslBinding[];
}

// ---- certutil -verify -urlfetch ----
export interface CertutilUrlEntry {
  /** Section header: Certificate AIA, Certificate CDP, Base CRL CDP, Certificate OCSP... */
  section: string;
  /** Verified, Failed, OK, Expired, No URLs, Wrong Issuer... as printed. */
  status: string;
  /** The quoted label: "Certificate (0)", "Base CRL (1c)", "CDP"... */
  label: string;
  urls: string[];
  /** "Error retrieving URL: ..." text when certutil printed one. */
  error: string | null;
  line: number;
  text: string;
}
export interface CertutilElement {
  /** [chain][element] as printed, e.g. "0.0" is the leaf, "0.1" its issuer. */
  index: string;
  subject: string | null;
  issuer: string | null;
  serial: string | null;
  /** SHA-1 thumbprint, lower-case hex. */
  thumbprint: string | null;
  /** Hex dwErrorStatus of the element (0 when healthy). */
  errorStatus: string | null;
  errorFlags: string[];
  selfSigned: boolean;
  urls: CertutilUrlEntry[];
  line: number;
  text: string;
}
export interface CertutilUrlfetchData {
  /** The certificate that was verified (from the header), when printed. */
  subject: string | null;
  serial: string | null;
  elements: CertutilElement[];
  /** CERT_TRUST_* error flags of the chain context. */
  chainErrors: Quoted[];
  /** ERROR lines, error codes and failure messages outside the URL entries. */
  errors: Quoted[];
  leafRevocationPassed: boolean;
  /** The closing "CertUtil: ..." line. */
  finalLine: Quoted | null;
  completedSuccessfully: boolean;
}

// ---- Get-AzureADTrustedCertificateAuthority / Graph JSON ----
export interface TrustedCaCertificateInfo {
  subject: string;
  issuer: string;
  ski: string | null;
  sha1: string;
  notBefore: string;
  notAfter: string;
  selfIssued: boolean;
  /** Size of the DER-encoded subject name (issuer hints send these names to the client). */
  subjectDerBytes?: number;
}
export interface TrustedCa {
  /** RootAuthority / IntermediateAuthority (legacy names, also for Graph entries); null when unknown. */
  authorityType: 'RootAuthority' | 'IntermediateAuthority' | null;
  /** As printed (RootAuthority, 0, root, isRootAuthority=true...). */
  authorityTypeRaw: string | null;
  crlDistributionPoint: string | null;
  deltaCrlDistributionPoint: string | null;
  /** The CA's subject name (TrustedIssuer / issuer). */
  issuer: string | null;
  /** Subject key identifier of the CA certificate, lower-case hex. */
  ski: string | null;
  /** Graph entries carry the certificate; AzureAD Format-List output shows only a cut byte list. */
  certificate: TrustedCaCertificateInfo | null;
  /** Graph PKI store: expirationDateTime. */
  expiration: string | null;
  displayName: string | null;
  /** Which tenant store the entry is from: the PKI-based store (certificateAuthorityDetail) or the classic one. */
  store: 'pki' | 'classic';
  /** PKI-based store: isIssuerHintEnabled (null when not given). */
  issuerHintEnabled: boolean | null;
  line: number;
  text: string;
}
export interface TrustedCaData {
  format: 'azuread-list' | 'graph-json';
  authorities: TrustedCa[];
}

// ---- Claim rules ----
export type ClaimTrust = 'claims-provider' | 'relying-party' | 'unknown';
export interface ClaimRule {
  name: string | null;
  template: string | null;
  /** The rule text, whitespace collapsed. */
  text: string;
  /** Claim type passed through unchanged (c:[Type == "X"] => issue(claim = c)), else null. */
  passThrough: string | null;
  line: number;
}
export interface ClaimRuleSet {
  trust: ClaimTrust;
  /** Trust name from the command or Format-List output ("Active Directory", "Microsoft Office 365 Identity Platform"). */
  trustName: string | null;
  /** Why the trust is known: the command line, the Format-List property, or the rules' content. */
  trustFrom: 'command' | 'property' | 'content' | 'none';
  rules: ClaimRule[];
  line: number;
}
export interface ClaimRulesData {
  sets: ClaimRuleSet[];
}

// ---- certutil -verifystore ----
export interface StoreCertificate {
  index: number;
  serial: string | null;
  issuer: string | null;
  subject: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** SHA-1 thumbprint, lower-case hex without spaces. */
  sha1: string | null;
  /** "Root Certificate: Subject matches Issuer" → true, "Non-root Certificate" → false. */
  selfIssued: boolean | null;
  /** "Certificate is valid" seen. */
  valid: boolean | null;
  errors: string[];
  line: number;
  text: string;
}
export interface VerifyStoreData {
  /** Root, CA, My... from the header line or the command; null when neither says. */
  store: string | null;
  storeTitle: string | null;
  certificates: StoreCertificate[];
  finalLine: Quoted | null;
}

// ---- reg query HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL ----
export interface RegValue {
  /** 'SCHANNEL' for the key itself, else the subkey path below it (Protocols\TLS 1.2\Server). */
  key: string;
  name: string;
  type: string;
  /** As printed (0x2). */
  value: string;
  /** REG_DWORD / REG_QWORD as a number. */
  number: number | null;
  line: number;
  text: string;
}
export interface RegQueryData {
  keys: string[];
  values: RegValue[];
}

// ---- Get-AdfsProperties | Format-List HostName, HttpsPort, TlsClientPort ----
export interface AdfsPropertiesData {
  hostName: Quoted | null;
  httpsPort: Quoted<number | null> | null;
  tlsClientPort: Quoted<number | null> | null;
}

// ---- Get-AdfsSslCertificate ----
export interface AdfsSslCertificateData {
  bindings: { hostName: string | null; port: number | null; certificateHash: string | null; line: number; text: string }[];
}

// ---- netsh winhttp show proxy ----
export interface WinHttpProxyData {
  header: boolean;
  /** true: "Direct access (no proxy server)"; false: a proxy server is set; null: neither line seen. */
  direct: Quoted<boolean> | null;
  proxyServer: Quoted | null;
  bypassList: Quoted<string[]> | null;
  lines: { line: number; text: string }[];
}

export interface PasteDataByKind {
  'adfs-auth-provider': AdfsAuthProviderData;
  'msol-federation': FederationSettingsData;
  'mg-federation': FederationSettingsData;
  'netsh-urlacl': NetshUrlAclData;
  'netsh-sslcert': NetshSslCertData;
  'certutil-urlfetch': CertutilUrlfetchData;
  'trusted-ca': TrustedCaData;
  'claim-rules': ClaimRulesData;
  verifystore: VerifyStoreData;
  'reg-schannel': RegQueryData;
  'adfs-properties': AdfsPropertiesData;
  'adfs-ssl-certificate': AdfsSslCertificateData;
  'winhttp-proxy': WinHttpProxyData;
  'entra-method': import('@/lib/entra/types').X509MethodConfig;
  'entra-user': import('@/lib/entra/types').EntraUser;
  'entra-groups': import('@/lib/entra/types').GroupMembership;
  'signin-log': import('./entra').SignInData;
  'signin-error-page': import('./entra').SignInData;
}

export interface BlockBase {
  /** Number of lines the block spans in its pasted text. */
  lines: number;
  /** Label of the pasted text (file name or box name), when it has one. */
  source?: string;
  /** The server (AD FS or WAP node) the user said the text came from. */
  node?: string;
  /** Which pasted text (0-based, in input order). */
  pasteIndex: number;
  firstLine: number;
  lastLine: number;
  /** The command line typed before this output, when the paste held one. */
  command?: string;
}

export type PasteBlock = {
  [K in PasteKind]: BlockBase & { kind: K; data: PasteDataByKind[K] };
}[PasteKind];

export type PasteBlockOf<K extends PasteKind> = Extract<PasteBlock, { kind: K }>;

/** Text that matched no kind. Kept as a short preview only (it is never executed or rendered as HTML). */
export interface UnrecognizedBlock extends BlockBase {
  preview: string;
  reason: string;
}

export interface PasteResult {
  blocks: PasteBlock[];
  unknown: UnrecognizedBlock[];
  /** Pasted texts that held nothing (empty or only blank lines / prompts). */
  empty: { pasteIndex: number; source?: string; node?: string }[];
  /** Pasted texts too large to read (lib/paste/limits.ts): none of their text was read. */
  refused: { pasteIndex: number; source?: string; node?: string; chars: number; reason: string }[];
}

export interface PasteArtifacts {
  paste: PasteResult;
}
