// A TLS handshake to a policy-checked address, with or without SNI, and what it says about the server
// certificate: chain trust (Node's roots plus NODE_EXTRA_CA_CERTS), name match and validity dates. The
// verdicts are left to the checks; this records facts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { parseCertificate } from '@/lib/pki/cert';
import { classifyError, Deadline, elapsed, ProbeTimeout, tcpConnect, type NetError } from './tcp';

export interface PeerCertificate {
  subject: string;
  issuer: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  sha256: string;
  selfIssued: boolean;
}

export interface TlsProbeTarget {
  address: string;
  port: number;
  /** SNI and the name the certificate must match; undefined sends no SNI. */
  servername?: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Extra trusted roots (PEM) on top of Node's store; NODE_EXTRA_CA_CERTS is read as well. */
  extraCa?: string[];
}

export interface TlsProbeResult {
  address: string;
  port: number;
  servername?: string;
  ok: boolean;
  protocol?: string;
  cipher?: string;
  ms: number;
  error?: NetError;
  /** The leaf first, then what the server sent with it. */
  chain?: PeerCertificate[];
  /** The chain verifies to a trusted root. */
  trusted?: boolean;
  /** OpenSSL's reason when it does not (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CERT_HAS_EXPIRED...). */
  trustError?: string;
  /** The leaf is valid for `servername` (RFC 6125 rules, as Node applies them). */
  nameMatch?: boolean;
  nameError?: string;
}

let extraCache: { path: string; mtimeMs: number; pems: string[] } | undefined;

/**
 * Roots for verification. Node reads NODE_EXTRA_CA_CERTS once at start-up; reading it here as well means a
 * value set later (a test, a long-running portal reconfigured) is honoured the same way.
 */
export function trustRoots(extra: string[] = []): string[] | undefined {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  let fromEnv: string[] = [];
  if (file && existsSync(file)) {
    const st = statSync(file);
    if (!extraCache || extraCache.path !== file || extraCache.mtimeMs !== st.mtimeMs) {
      const text = readFileSync(file, 'utf8');
      extraCache = { path: file, mtimeMs: st.mtimeMs, pems: text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [] };
    }
    fromEnv = extraCache.pems;
  }
  if (!extra.length && !fromEnv.length) return undefined; // Node's default store
  return [...tls.rootCertificates, ...fromEnv, ...extra];
}

export function summarizeCert(raw: Buffer): PeerCertificate {
  const c = parseCertificate(new Uint8Array(raw));
  return {
    subject: c.subject.display,
    issuer: c.issuer.display,
    dnsNames: (c.san ?? []).filter((g) => g.type === 'dns').map((g) => g.value),
    ipAddresses: (c.san ?? []).filter((g) => g.type === 'ip').map((g) => g.value),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    serialNumber: c.serialHex,
    sha256: c.sha256,
    selfIssued: c.selfIssued,
  };
}

function chainOf(leaf: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate[] {
  const out: tls.DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = leaf; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c);
  }
  return out;
}

/** The name to put in SNI: host names only, never an IP address. */
export function sniName(name: string | undefined): string | undefined {
  return name && isIP(name.replace(/^\[|\]$/g, '')) === 0 ? name : undefined;
}

export async function tlsProbe(t: TlsProbeTarget): Promise<TlsProbeResult> {
  const t0 = performance.now();
  const dl = new Deadline(t.timeoutMs);
  const base = { address: t.address, port: t.port, servername: t.servername };
  let raw;
  try {
    raw = await tcpConnect({ address: t.address, port: t.port, timeoutMs: dl.remaining(), allowPrivate: t.allowPrivate });
  } catch (e) {
    return { ...base, ok: false, ms: elapsed(t0), error: classifyError(e) };
  }
  return new Promise<TlsProbeResult>((resolve) => {
    const socket = tls.connect({
      socket: raw,
      // SNI carries host names only (RFC 6066); undefined sends none.
      servername: sniName(t.servername),
      ca: trustRoots(t.extraCa),
      // Facts, not refusals: trust and name are judged separately below and reported both.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => finish({ ...base, ok: false, ms: elapsed(t0), error: classifyError(new ProbeTimeout(`the TLS handshake with ${t.address} port ${t.port} did not finish within ${t.timeoutMs} ms`)) }), dl.remaining());
    let done = false;
    function finish(r: TlsProbeResult) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    }
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerCertificate(true);
      const result: TlsProbeResult = {
        ...base,
        ok: true,
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.standardName,
        ms: elapsed(t0),
        trusted: socket.authorized,
        trustError: socket.authorized ? undefined : String(socket.authorizationError ?? 'unknown'),
      };
      if (leaf && leaf.raw) {
        try {
          result.chain = chainOf(leaf).map((c) => summarizeCert(c.raw));
        } catch {
          result.chain = [];
        }
        if (t.servername) {
          const err = tls.checkServerIdentity(t.servername, leaf);
          result.nameMatch = !err;
          result.nameError = err?.message;
        }
      }
      finish(result);
    });
    socket.once('error', (e) => {
      const err = classifyError(e);
      // Any other failure during the handshake (a server that requires SNI, or refuses the client) is a TLS one.
      if (err.kind === 'other') err.kind = 'tls';
      finish({ ...base, ok: false, ms: elapsed(t0), error: err });
    });
    socket.once('close', () => finish({ ...base, ok: false, ms: elapsed(t0), error: { kind: 'closed', message: 'the server closed the connection during the TLS handshake' } }));
  });
}
