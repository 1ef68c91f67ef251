// Artifacts produced by realm discovery and AD FS / WAP probes. Owned by lib/adfs.
import type { DnsAnswer } from '@/lib/net/dns';
import type { NetError, TcpResult } from '@/lib/net/tcp';
import type { CertRequestProbe } from '@/lib/net/tls-certreq';
import type { TlsProbeResult } from '@/lib/net/tls-probe';
import type { FetchRecord } from '@/lib/net/types';
import type { BindingTlsProbe } from './binding-tls';

/** The fields of a getuserrealm answer that matter here (as sent; XML and JSON use the same names). */
export interface RealmInfo {
  format: 'xml' | 'json';
  success?: boolean;
  nameSpaceType?: string;
  login?: string;
  domainName?: string;
  federationBrandName?: string;
  authUrl?: string;
  stsAuthUrl?: string;
  mexUrl?: string;
  cloudInstanceName?: string;
  cloudInstanceIssuerUri?: string;
  federationProtocol?: string;
  federationGlobalVersion?: string;
  isFederatedNS?: string;
}

export interface RealmDiscovery {
  /** The login name asked about (the user's address, or user@domain). */
  login: string;
  /** The endpoint without the query. */
  endpoint: string;
  fetch: FetchRecord;
  info?: RealmInfo;
  /** Why the answer could not be read, when it could not. */
  parseError?: string;
  /** Federated, Managed, Unknown (canonical spelling), or whatever else the service said. */
  namespace?: string;
  /** Host of AuthURL (or STSAuthURL when AuthURL is missing). */
  authUrlHost?: string;
  /** The federation host the user typed, if any. */
  typedHost?: string;
  /** Set when no host was typed and AuthURL gave one: the host the AD FS probes use. */
  filledHost?: string;
}

/** Where the certificate-authentication binding was looked for, and why. */
export interface CertBinding {
  host: string;
  port: number;
  /** `port`: the federation host on 49443 (or --tls-client-port); `certauth`: certauth.<host>:443. */
  kind: 'port' | 'certauth';
  why: string;
}

/** One place probed: the federation host itself, or one --node. */
export interface ProbeTargetBase {
  /** What the report shows: the node as typed, or the host name. */
  target: string;
  node?: string;
  /** The address connected to (judged by the network policy). */
  address?: string;
  /** Set when there was nothing to connect to (DNS failure, refused by the network policy). */
  error?: NetError;
}

export interface AdfsDns {
  host: string;
  hostSource: 'typed' | 'realm';
  answer: DnsAnswer;
  /** certauth.<host>, for the alternate certificate binding. */
  certauth: DnsAnswer;
  /** Each --node given as a name or address. */
  nodes: { node: string; answer: DnsAnswer }[];
}

export interface HttpsTarget extends ProbeTargetBase {
  sni?: TlsProbeResult;
  /** Information only: the same handshake without SNI. */
  noSni?: TlsProbeResult;
}

export interface AdfsHttps {
  host: string;
  port: number;
  targets: HttpsTarget[];
}

/** One HTTP exchange over TLS to a pinned address (metadata, certificate transport). */
export interface HttpsExchange {
  /** answered: a status line came back; waiting: nothing came back within the wait (the connection stayed open). */
  outcome: 'answered' | 'waiting' | 'reset' | 'closed' | 'error';
  status?: number;
  contentType?: string;
  bytes: number;
  tlsProtocol?: string;
  ttfbMs?: number;
  totalMs: number;
  error?: NetError;
}

export interface MetadataTarget extends ProbeTargetBase {
  exchange?: HttpsExchange;
  entityId?: string;
  /** Why the body is not federation metadata, when it is not. */
  problem?: string;
}

export interface AdfsMetadata {
  host: string;
  url: string;
  targets: MetadataTarget[];
}

export interface CertPortTarget extends ProbeTargetBase {
  tcp?: TcpResult;
  certRequest?: CertRequestProbe;
}

export interface AdfsCertPort {
  host: string;
  binding: CertBinding;
  targets: CertPortTarget[];
}

export interface CertTransportTarget extends ProbeTargetBase {
  exchange?: HttpsExchange;
}

export interface AdfsCertTransport {
  host: string;
  binding: CertBinding;
  url: string;
  method: string;
  /** How long a request was left waiting before it counted as accepted. */
  waitMs: number;
  targets: CertTransportTarget[];
}

export interface BindingTlsTargetResult extends ProbeTargetBase {
  probe?: BindingTlsProbe;
}

/** TLS of the certificate endpoint and of the HTTPS endpoint, as clients meet it (issue 14). */
export interface AdfsBindingTls {
  host: string;
  binding: CertBinding;
  httpsPort: number;
  /** The certificate endpoint: binding.host:binding.port, per node. */
  certificate: BindingTlsTargetResult[];
  /** host:httpsPort, per node. */
  https: BindingTlsTargetResult[];
}

export interface FederationArtifacts {
  realm: RealmDiscovery;
  adfsDns: AdfsDns;
  adfsHttps: AdfsHttps;
  adfsMetadata: AdfsMetadata;
  adfsCertPort: AdfsCertPort;
  adfsCertTransport: AdfsCertTransport;
  adfsBindingTls: AdfsBindingTls;
}
