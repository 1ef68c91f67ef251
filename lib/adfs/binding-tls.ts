// TLS of the certificate-authentication binding (and of 443) the way clients meet it (issue 14): which
// application protocol the server picks when offered h2 and http/1.1 (HTTP/2 cannot carry client certificate
// authentication, A-FAQ), whether the served certificate covers the name asked for (certauth.<host> with the
// alternate binding), which certificates the server sends (no AIA completion: Android does not fetch missing
// intermediates, A-FAQ), whether a handshake without SNI works, and which TLS versions it accepts. Facts only.
import tls from 'node:tls';
import { isCaCert, parseCertificate } from '@/lib/pki/cert';
import { classifyError, Deadline, elapsed, ProbeTimeout, tcpConnect, type NetError } from '@/lib/net/tcp';
import { sniName, summarizeCert, trustRoots, type PeerCertificate } from '@/lib/net/tls-probe';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
export const ALPN_OFFER = ['h2', 'http/1.1'];

export interface BindingTlsTarget {
  address: string;
  port: number;
  servername: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface VersionResult {
  version: TlsVersion;
  /** accepted: the server negotiated it; refused: it answered with an alert or another version; untestable: this side could not offer it. */
  outcome: 'accepted' | 'refused' | 'untestable' | 'error';
  note?: string;
  error?: NetError;
}

export interface HandshakeFacts {
  ok: boolean;
  protocol?: string;
  /** The application protocol the server chose from ALPN_OFFER; null when it chose none. */
  alpn?: string | null;
  /** The certificates as received, leaf first (Node adds a trusted root the server left out; nothing is fetched). */
  chain?: (PeerCertificate & { ca: boolean })[];
  trusted?: boolean;
  trustError?: string;
  /** The leaf is valid for the name asked for. */
  nameMatch?: boolean;
  nameError?: string;
  error?: NetError;
  ms: number;
}

export interface BindingTlsProbe {
  address: string;
  port: number;
  servername: string;
  main: HandshakeFacts;
  noSni: HandshakeFacts;
  versions: VersionResult[];
  /** The server sent no CA certificate with a leaf whose issuer this tool does not already hold: a client that does not fetch intermediates cannot build the chain. */
  intermediatesMissing?: boolean;
}

interface ConnectOptions {
  t: BindingTlsTarget;
  dl: Deadline;
  servername?: string;
  alpn?: string[];
  version?: TlsVersion;
}

// A secure context holds the trusted roots (Node's and NODE_EXTRA_CA_CERTS); building one parses every root,
// which costs more than a loopback handshake. One per version setting, rebuilt when the roots change.
const contexts = new Map<string, tls.SecureContext>();
let contextRoots: string[] | undefined | null = null;

function contextFor(version?: TlsVersion): tls.SecureContext {
  const roots = trustRoots();
  const same = contextRoots !== null && (roots === contextRoots || (roots?.length === contextRoots?.length && roots?.[roots.length - 1] === contextRoots?.[contextRoots.length - 1]));
  if (!same) {
    contexts.clear();
    contextRoots = roots;
  }
  const key = version ?? 'any';
  let c = contexts.get(key);
  if (!c) {
    c = tls.createSecureContext({
      ca: roots,
      ...(version ? { minVersion: version, maxVersion: version } : {}),
      // TLS 1.0 and 1.1 use signatures OpenSSL 3 refuses at its default security level: lowered only for the
      // version probes, which look at what the server accepts and send nothing.
      ...(version === 'TLSv1' || version === 'TLSv1.1' ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    });
    contexts.set(key, c);
  }
  return c;
}

/** One handshake: resolves with the connected socket's facts, or the error. */
async function handshake(o: ConnectOptions): Promise<HandshakeFacts> {
  const t0 = performance.now();
  let raw;
  try {
    raw = await tcpConnect({ address: o.t.address, port: o.t.port, timeoutMs: o.dl.remaining(), allowPrivate: o.t.allowPrivate });
  } catch (e) {
    return { ok: false, ms: elapsed(t0), error: classifyError(e) };
  }
  return new Promise<HandshakeFacts>((resolve) => {
    const socket = tls.connect({
      socket: raw,
      servername: sniName(o.servername),
      secureContext: contextFor(o.version),
      ALPNProtocols: o.alpn,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    let done = false;
    const finish = (r: HandshakeFacts) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, ms: elapsed(t0), error: classifyError(new ProbeTimeout(`the TLS handshake with ${o.t.address} port ${o.t.port} did not finish in time`)) }),
      o.dl.remaining(),
    );
    socket.once('secureConnect', () => {
      const r: HandshakeFacts = {
        ok: true,
        protocol: socket.getProtocol() ?? undefined,
        alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
        ms: elapsed(t0),
        trusted: socket.authorized,
        trustError: socket.authorized ? undefined : String(socket.authorizationError ?? 'unknown'),
      };
      const leaf = socket.getPeerCertificate(true);
      if (leaf?.raw) {
        const out: (PeerCertificate & { ca: boolean })[] = [];
        const seen = new Set<string>();
        for (let c: tls.DetailedPeerCertificate | undefined = leaf; c?.raw && !seen.has(c.fingerprint256) && out.length < 10; c = c.issuerCertificate) {
          seen.add(c.fingerprint256);
          try {
            out.push({ ...summarizeCert(c.raw), ca: isCaCert(parseCertificate(new Uint8Array(c.raw))) });
          } catch {
            break;
          }
        }
        r.chain = out;
        if (o.servername) {
          const err = tls.checkServerIdentity(o.servername, leaf);
          r.nameMatch = !err;
          r.nameError = err?.message;
        }
      }
      finish(r);
    });
    socket.once('error', (e) => {
      const err = classifyError(e);
      if (err.kind === 'other') err.kind = 'tls';
      finish({ ok: false, ms: elapsed(t0), error: err });
    });
    socket.once('close', () => finish({ ok: false, ms: elapsed(t0), error: { kind: 'closed', message: 'the server closed the connection during the TLS handshake' } }));
  });
}

/** What a handshake limited to one version says about that version. */
export function versionOutcome(version: TlsVersion, h: HandshakeFacts): VersionResult {
  if (h.ok) return { version, outcome: 'accepted' };
  const code = h.error?.code ?? '';
  const msg = h.error?.message ?? '';
  // The server answered with this version and then signed with an algorithm OpenSSL 3 will not accept: the
  // version itself was negotiated.
  if (/LEGACY_SIGALG|legacy sig/i.test(code + msg))
    return { version, outcome: 'accepted', note: "the server negotiated it; this tool's TLS library then refused the server's legacy signature algorithm", error: h.error };
  if (/NO_PROTOCOLS_AVAILABLE|NO_SUITABLE|no protocols available|UNSUPPORTED_PROTOCOL.*client/i.test(code + msg))
    return { version, outcome: 'untestable', note: `this tool's TLS library (OpenSSL ${process.versions.openssl}) cannot offer ${version} here, so it was not tested`, error: h.error };
  if (/ALERT_PROTOCOL_VERSION|WRONG_VERSION_NUMBER|UNSUPPORTED_PROTOCOL|ALERT_HANDSHAKE_FAILURE|INAPPROPRIATE_FALLBACK|protocol version/i.test(code + msg) || h.error?.kind === 'reset' || h.error?.kind === 'closed')
    return { version, outcome: 'refused', note: msg, error: h.error };
  return { version, outcome: 'error', note: msg, error: h.error };
}

/** Every handshake against one endpoint, side by side, within one time limit. */
export async function probeBindingTls(t: BindingTlsTarget): Promise<BindingTlsProbe> {
  const dl = new Deadline(t.timeoutMs);
  const [main, noSni, ...byVersion] = await Promise.all([
    handshake({ t, dl, servername: t.servername, alpn: ALPN_OFFER }),
    handshake({ t, dl, servername: undefined }),
    ...TLS_VERSIONS.map((version) => handshake({ t, dl, servername: t.servername, version })),
  ]);
  const chain = main.chain ?? [];
  const leaf = chain[0];
  // Complete when the server sent a CA certificate with the leaf, or the leaf's issuer is a root this side holds
  // (Node then appends it: the last certificate is self-issued). Otherwise a client without AIA fetching is stuck.
  const intermediatesMissing = leaf ? !leaf.selfIssued && !chain.slice(1).some((c) => c.ca) : undefined;
  return {
    address: t.address,
    port: t.port,
    servername: t.servername,
    main,
    noSni,
    versions: byVersion.map((h, i) => versionOutcome(TLS_VERSIONS[i], h)),
    ...(intermediatesMissing !== undefined ? { intermediatesMissing } : {}),
  };
}
