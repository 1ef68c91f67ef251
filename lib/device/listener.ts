// The certauth listener: a second HTTPS port that asks every connection for a client certificate (never rejecting it
// at the TLS layer), reads what the device sent and hands it to the portal's diagnosis, then redirects the browser to
// the report. It speaks TLS itself, on purpose: a proxy that terminates TLS would take the client certificate away.
//
// Design notes (README "Test the certificate on this device"):
// - TLS 1.2 at most, so the client's Certificate message travels in clear and is read exactly as sent (leaf plus the
//   intermediates the device chose to send); TLS 1.3 would encrypt it. Session tickets are off so every connection
//   carries a full handshake with a fresh Certificate message.
// - The CA list of the CertificateRequest is chosen by SNI: the default name gets an empty list (every certificate is
//   offered); ca-<token>.<host> gets the list registered by the form (lib/device/sessions.ts).
import { createHash, constants as cryptoConstants } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { parseCertificateFile } from '@/lib/pki/input';
import { EMPTY_CA_LIST } from './ca-list';
import { readClientFlight } from './client-flight';
import { portalPublicUrl, type CertauthConfig } from './config';
import { Recorder } from './recorder';
import { getCaListSession, rememberCaListSession, SESSION_LABEL, type CaListSession } from './sessions';
import type { DeviceCertificate, DeviceInput } from './types';

/**
 * Bytes of the client's handshake kept for reading. OpenSSL refuses a peer certificate list over 100 KB during the
 * handshake, so every handshake that completes fits; the overflow branch below is a guard, not an expected path.
 */
const MAX_FLIGHT_BYTES = 128 * 1024;
const HANDSHAKE_TIMEOUT_MS = 15_000;
const MAX_CONNECTIONS = 1000;
/** Client-certificate headers some proxies set; noted (never read) when the deployment does not trust one. */
const KNOWN_CERT_HEADERS = ['x-ssl-client-cert', 'x-client-cert', 'ssl-client-cert', 'x-arr-clientcert', 'x-forwarded-client-cert', 'client-cert'];

export interface CertauthRequest {
  upn?: string;
  federationHost?: string;
  target?: string;
  device: DeviceInput;
  /** DER of the certificates, in the order sent (what the diagnosis receives as uploaded files). */
  files: { name: string; bytes: Uint8Array }[];
  /** The client's address (rate limiting). */
  client: string;
}

export type CertauthOutcome = { ok: true; id: string; deleteToken?: string } | { ok: false; status: number; error: string; retryAfter?: number };
export type CertauthHandler = (r: CertauthRequest) => Promise<CertauthOutcome>;

export interface CertauthListener {
  port: number;
  close(): Promise<void>;
}

interface Capture {
  answered: boolean;
  certificates: Buffer[];
  tlsVersion?: string;
  resumed: boolean;
  session?: CaListSession;
  /** The name asked for was a session name whose session has expired (or never existed). */
  staleSession: boolean;
  notes: string[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function capture(sock: tls.TLSSocket, rec: Recorder, sessionOf: (name: string | undefined) => CaListSession | 'stale' | undefined): Capture {
  const notes: string[] = [];
  const name = (sock as tls.TLSSocket & { servername?: string | false }).servername || undefined;
  const s = sessionOf(name);
  const base: Capture = { answered: false, certificates: [], tlsVersion: sock.getProtocol() ?? undefined, resumed: sock.isSessionReused(), session: s === 'stale' ? undefined : s, staleSession: s === 'stale', notes };
  if (rec.overflow) {
    notes.push(`The client's handshake was larger than ${MAX_FLIGHT_BYTES / 1024} KB, so the certificates it sent could not be read from it; only the certificate TLS verified is shown.`);
    const leaf = sock.getPeerX509Certificate();
    return { ...base, answered: Boolean(leaf), certificates: leaf ? [Buffer.from(leaf.raw)] : [] };
  }
  try {
    const flight = readClientFlight(rec.bytes());
    return { ...base, answered: flight.certificateMessage, certificates: flight.certificates };
  } catch (e) {
    notes.push(`The client's handshake could not be read (${e instanceof Error ? e.message : String(e)}); only the certificate TLS verified is shown.`);
    const leaf = sock.getPeerX509Certificate();
    return { ...base, answered: Boolean(leaf), certificates: leaf ? [Buffer.from(leaf.raw)] : [] };
  }
}

/** Certificates from a trusted proxy header: URL-escaped PEM (nginx $ssl_client_escaped_cert), or plain PEM. */
export function certificatesFromHeader(value: string): { certificates: Buffer[]; problem?: string } {
  let text = value;
  try {
    if (/%[0-9A-Fa-f]{2}/.test(value)) text = decodeURIComponent(value);
  } catch {
    return { certificates: [], problem: 'the header is not valid URL-escaped text' };
  }
  // Some proxies fold the PEM onto one line (newlines become spaces); put the Base-64 body back on lines of its own.
  text = text.replace(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g, (_, body: string) => `-----BEGIN CERTIFICATE-----\n${body.trim().replace(/\s+/g, '\n')}\n-----END CERTIFICATE-----\n`);
  const parsed = parseCertificateFile('proxy header', new TextEncoder().encode(text), 256 * 1024);
  if (parsed.result.problem) return { certificates: [], problem: parsed.result.problem.message };
  return { certificates: parsed.certs.map((c) => Buffer.from(c.der)) };
}

function page(status: number, title: string, message: string, portal?: string): { status: number; body: string } {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const back = portal ? `<p><a href="${esc(portal)}/">Back to CBA Doctor</a></p>` : '';
  return {
    status,
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(message)}</p>${back}</body></html>`,
  };
}

function param(q: URLSearchParams, k: string): string | undefined {
  const v = q.get(k);
  return v === null ? undefined : v;
}

export interface ListenerOptions {
  /**
   * Looks up a CA-list session this process does not hold (another instance registered it): the report store, so
   * every instance behind a load balancer asks for the list the form chose, whichever answers the handshake.
   */
  findSession?: (token: string) => Promise<CaListSession | undefined>;
}

export async function startCertauthListener(config: CertauthConfig, handler: CertauthHandler, opts: ListenerOptions = {}): Promise<CertauthListener> {
  const secureOptions = cryptoConstants.SSL_OP_NO_TICKET;
  const contextOptions = { cert: config.certPem, key: config.keyPem, maxVersion: 'TLSv1.2' as const, secureOptions };
  // No `ca`: the CertificateRequest names no CA, so browsers offer every client certificate they hold.
  const defaultContext = tls.createSecureContext(contextOptions);
  const sessionContexts = new WeakMap<CaListSession, tls.SecureContext>();

  const sessionOf = (name: string | undefined): CaListSession | 'stale' | undefined => {
    const label = name?.toLowerCase().split('.')[0];
    const m = label ? SESSION_LABEL.exec(label) : null;
    if (!m) return undefined;
    return getCaListSession(m[1]) ?? 'stale';
  };

  const contextFor = (s: CaListSession) => {
    let ctx = sessionContexts.get(s);
    // Node's `ca` option both trusts these certificates and lists their subjects in the CertificateRequest.
    if (!ctx) sessionContexts.set(s, (ctx = tls.createSecureContext({ ...contextOptions, ca: s.caPems })));
    return ctx;
  };

  const SNICallback = (name: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void) => {
    const s = sessionOf(name);
    if (!s) return cb(null, defaultContext);
    if (s !== 'stale') return cb(null, contextFor(s));
    const token = SESSION_LABEL.exec(name.toLowerCase().split('.')[0])?.[1];
    if (!token || !opts.findSession) return cb(null, defaultContext);
    // Not here: perhaps another instance registered it. Found, it is kept here too, so the capture (sessionOf) and
    // later handshakes see it; not found, the request is answered "expired".
    opts.findSession(token).then(
      (found) => {
        if (found) rememberCaListSession(found);
        cb(null, found && found.token === token ? contextFor(found) : defaultContext);
      },
      () => cb(null, defaultContext),
    );
  };

  const captures = new WeakMap<tls.TLSSocket, Capture>();

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const send = (p: { status: number; body: string }, headers: Record<string, string> = {}) => {
      res.writeHead(p.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(p.body);
    };
    try {
      const sock = req.socket as tls.TLSSocket;
      const cap = captures.get(sock);
      const hostHeader = req.headers.host;
      // The redirect goes to the portal's host, never to a session name.
      const portal = portalPublicUrl(config, hostHeader?.replace(/^ca-[0-9a-f]{32}\./i, ''));
      const url = new URL(req.url ?? '/', 'https://certauth.invalid');
      if (url.pathname !== '/certauth') return send(page(404, 'Not found', 'This port only serves /certauth, the certificate test started from the CBA Doctor form.', portal));
      if (req.method !== 'GET') return send(page(405, 'Method not allowed', 'Open this address with GET, as the form does.', portal), { allow: 'GET' });
      if (!cap) return send(page(500, 'Certificate test failed', 'The TLS connection was not captured; start the test again from the form.', portal));
      if (cap.staleSession)
        return send(page(410, 'This test link has expired', 'The list of CAs chosen in the form is kept for 10 minutes only. Start the test again from the form.', portal));

      let via: DeviceInput['via'] = 'tls-handshake';
      let answered = cap.answered;
      let certs = cap.certificates;
      const notes = [...cap.notes];
      const trusted = config.trustedProxyHeader;
      const headerValue = trusted ? req.headers[trusted] : undefined;
      if (trusted && typeof headerValue === 'string' && headerValue.trim()) {
        const h = certificatesFromHeader(headerValue.trim());
        via = 'proxy-header';
        answered = h.certificates.length > 0;
        certs = h.certificates;
        notes.push(`The certificate was read from the ${trusted} header set by the trusted proxy (CBA_DOCTOR_TRUSTED_PROXY_CERT_HEADER), not from this listener's own handshake.`);
        if (h.problem) notes.push(`The ${trusted} header could not be read: ${h.problem}`);
      } else {
        const ignored = KNOWN_CERT_HEADERS.filter((k) => k !== trusted && req.headers[k] !== undefined);
        if (ignored.length)
          notes.push(`The request carried ${ignored.join(', ')}; such headers are ignored unless CBA_DOCTOR_TRUSTED_PROXY_CERT_HEADER names one, since any client can set them.`);
      }
      if (cap.resumed && !certs.length) notes.push('The TLS session was resumed, so no certificate travelled in this connection.');

      const certificates: DeviceCertificate[] = certs.map((der, i) => ({ position: i, fileName: `device-${i + 1}.cer`, sha256: sha256(der) }));
      const device: DeviceInput = {
        via,
        answered,
        certificates,
        tlsVersion: cap.tlsVersion,
        resumed: cap.resumed || undefined,
        userAgent: req.headers['user-agent']?.slice(0, 512),
        caList: cap.session?.info ?? EMPTY_CA_LIST,
        notes,
      };
      const q = url.searchParams;
      const outcome = await handler({
        upn: param(q, 'upn'),
        federationHost: param(q, 'federationHost'),
        target: param(q, 'target'),
        device,
        files: certs.map((der, i) => ({ name: certificates[i].fileName, bytes: new Uint8Array(der) })),
        client: sock.remoteAddress ?? 'unknown',
      });
      if (!outcome.ok)
        return send(
          page(outcome.status, 'The certificate test could not start', outcome.error, portal),
          outcome.retryAfter ? { 'retry-after': String(outcome.retryAfter) } : {},
        );
      // The deletion token rides in the fragment (never sent to a server); the report page keeps it for Delete.
      const fragment = outcome.deleteToken ? `#delete-token=${outcome.deleteToken}` : '';
      res.writeHead(303, { location: `${portal}/r/${outcome.id}${fragment}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
    } catch (e) {
      if (!res.headersSent) send(page(500, 'Certificate test failed', `The server could not start the diagnosis: ${e instanceof Error ? e.message : String(e)}`));
      else res.destroy();
    }
  };

  // An https.Server that never listens itself: it parses HTTP on the TLS sockets made below, over a recorder.
  const httpsServer = https.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => void onRequest(req, res));
  const open = new Set<net.Socket>();
  const front = net.createServer((raw) => {
    open.add(raw);
    raw.on('close', () => open.delete(raw));
    raw.on('error', () => raw.destroy());
    raw.setTimeout(HANDSHAKE_TIMEOUT_MS, () => raw.destroy());
    const rec = new Recorder(raw, MAX_FLIGHT_BYTES);
    rec.on('error', () => undefined);
    const sock = new tls.TLSSocket(rec, {
      isServer: true,
      server: httpsServer,
      secureContext: defaultContext,
      SNICallback,
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    } as tls.TLSSocketOptions);
    sock.on('error', () => sock.destroy());
    // What tls.Server does for its own sockets: once the handshake is done, hand the socket to HTTP.
    sock.once('secure', () => {
      captures.set(sock, capture(sock, rec, sessionOf));
      rec.stop();
      raw.setTimeout(0);
      httpsServer.emit('secureConnection', sock);
    });
  });

  // Each connection costs a handshake and a recorder; beyond this many at once, Node closes new ones straight away.
  front.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(config.port, config.bind, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const port = (front.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        // Keep-alive connections would hold the server open; they are this listener's own sockets.
        for (const s of open) s.destroy();
      }),
  };
}

