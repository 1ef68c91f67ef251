// The Entra tenant's side of native CBA, normalised from Graph JSON (Graph Explorer, REST, or Microsoft Graph
// PowerShell through ConvertTo-Json). A paste and a later live Graph read of the same objects give the same
// values: only `source` differs. Plain data, no verdicts (the entra.* and signin.* checks judge).
import type { FetchRecord } from '@/lib/net/types';
import type { ParsedCrl } from '@/lib/pki/crl/types';

/** Where tenant data came from: pasted JSON, or (issue 12) a live Microsoft Graph read. */
export type TenantSource = 'paste' | 'graph';
/** How the JSON was written: Graph's own (camelCase) or ConvertTo-Json of a PowerShell SDK object. */
export type JsonShape = 'graph' | 'powershell';
export type Affinity = 'low' | 'high';
export type AuthMode = 'singleFactor' | 'multiFactor';

export interface MethodTarget {
  /** A group object id, or 'all_users'. */
  id: string;
  targetType: string | null;
}

export interface CertificateUserBinding {
  /** As configured: PrincipalName, RFC822Name, SubjectKeyIdentifier, SHA1PublicKey, IssuerAndSerialNumber, IssuerAndSubject, Subject. */
  field: string;
  /** userPrincipalName, onPremisesUserPrincipalName or certificateUserIds. */
  userProperty: string;
  priority: number;
  affinity: Affinity;
  /** 'policy': trustAffinityLevel was set; 'field': the documented default of the field. */
  affinityFrom: 'policy' | 'field';
}

export interface AuthModeRule {
  /** issuerSubject, policyOID, issuerSubjectAndPolicyOID (or an unknown value, kept as written). */
  type: string;
  identifier: string | null;
  issuerSubject: string | null;
  policyOid: string | null;
  mode: AuthMode | null;
  modeRaw: string | null;
  requiredAffinity: Affinity | null;
}

export interface CaScope {
  ski: string | null;
  pki: string | null;
  includeTargets: MethodTarget[];
}

export interface X509MethodConfig {
  source: TenantSource;
  shape: JsonShape;
  id: string | null;
  /** enabled / disabled; null when the JSON did not say. */
  state: 'enabled' | 'disabled' | null;
  stateRaw: string | null;
  includeTargets: MethodTarget[];
  excludeTargets: MethodTarget[];
  /** In priority order (lowest number first: the first binding that finds a user wins). */
  bindings: CertificateUserBinding[];
  defaultMode: AuthMode | null;
  defaultRequiredAffinity: Affinity | null;
  rules: AuthModeRule[];
  crlValidation: { state: 'enabled' | 'disabled' | null; exemptedSkis: string[] } | null;
  caScopes: CaScope[];
  issuerHints: { state: 'enabled' | 'disabled' | null } | null;
}

export interface EntraUser {
  source: TenantSource;
  shape: JsonShape;
  id: string | null;
  userPrincipalName: string | null;
  onPremisesUserPrincipalName: string | null;
  mail: string | null;
  /** null when the JSON has no authorizationInfo (not selected), [] when it is empty. */
  certificateUserIds: string[] | null;
  /** Group ids from an expanded memberOf / transitiveMemberOf, when the object carried them. */
  groupIds: string[] | null;
}

export interface GroupMembership {
  source: TenantSource;
  shape: JsonShape;
  groupIds: string[];
}

/** A CA in the tenant's trust store (the PKI-based store or the classic one). */
export interface TenantCa {
  store: 'pki' | 'classic';
  displayName: string | null;
  /** Subject of the CA certificate (decoded from the certificate when given, else the issuer property). */
  subject: string | null;
  ski: string | null;
  sha1: string | null;
  root: boolean | null;
  typeRaw: string | null;
  crlUrl: string | null;
  deltaCrlUrl: string | null;
  notAfter: string | null;
  issuerHintEnabled: boolean | null;
  /** DER size of the CA's subject name, when the certificate was given (issuer hints). */
  subjectDerBytes: number | null;
  /** Where it was read (paste line), for evidence. */
  where: string;
}

export interface SignInEntry {
  /** A sign-in log record, or the "More details" block of the error page. */
  from: 'sign-in-log' | 'error-page';
  source: TenantSource;
  correlationId: string | null;
  requestId: string | null;
  timestamp: string | null;
  /** The AADSTS number (0 is success). */
  errorCode: number | null;
  message: string | null;
  failureReason: string | null;
  additionalDetails: string | null;
  appDisplayName: string | null;
  userPrincipalName: string | null;
  /** What the log recorded about the certificate (authenticationDetails / processing details), as text. */
  certificateDetails: string[];
  where: string;
}

/** One configured CRL URL of a tenant CA, fetched through lib/net. */
export interface TenantCrlFetch {
  caSubject: string | null;
  caSki: string | null;
  store: TenantCa['store'];
  kind: 'base' | 'delta';
  url: string;
  fetch?: FetchRecord;
  /** Parsed header; the body itself is never kept. */
  crl?: Pick<ParsedCrl, 'thisUpdate' | 'nextUpdate' | 'crlNumber' | 'deltaCrlIndicator'> & { issuer: string; issuerKey: string; akiKeyId: string | null };
  parseError?: string;
  /** Why it was not fetched (offline, not HTTP...). */
  notFetched?: string;
}

/** What a live Graph read did: when, each call's status and problem in words (never the data itself). */
export interface LiveReadRecord {
  at: string;
  calls: { what: string; path: string; status: number | null; problem?: string; graphCode?: string; retriedAfterMs?: number }[];
  tokenError?: string;
  userNotFound?: boolean;
  /** Why no live read was made although one was asked for (not configured, offline...). */
  notRead?: string;
}

export interface EntraTenant {
  /** 'graph' when any part came from a live read, else 'paste'. */
  source: TenantSource;
  /** Where each part came from: a paste wins over a live read of the same object. */
  sources?: Partial<Record<'method' | 'user' | 'groups' | 'pkiStore' | 'classicStore' | 'signIns', TenantSource>>;
  live?: LiveReadRecord;
  method: X509MethodConfig | null;
  user: EntraUser | null;
  groups: GroupMembership | null;
  pkiStore: TenantCa[] | null;
  classicStore: TenantCa[] | null;
  signIns: SignInEntry[];
  crlFetches: TenantCrlFetch[];
}

export interface EntraArtifacts {
  entra: EntraTenant;
}
