// Does the server ask for a client certificate, and which CAs does it name? Node's TLS client does not
// expose the CertificateRequest, so this probe speaks the handshake itself: a ClientHello limited to
// TLS 1.2 over a raw socket, then the server's first flight read up to ServerHelloDone (all in clear).
// A server that refuses TLS 1.2 is asked again with Node's TLS 1.3 client; the records beneath it are
// captured and decrypted with the handshake secret from the 'keylog' event (lib/net/tls-keylog).
import tls from 'node:tls';
import type net from 'node:net';
import { SocketTap } from './socket-tap';
import { decryptServerFlight, serverHandshakeSecret } from './tls-keylog';
import {
  ALERT_NAMES,
  buildClientHello12,
  CONTENT,
  HANDSHAKE,
  HandshakeReader,
  parseCertificateRequest12,
  parseCertificateRequest13,
  parseServerHello,
  splitRecords,
  suiteName,
  TlsParseError,
  VERSION_NAMES,
  type CertificateRequestInfo,
} from './tls-records';
import { sniName } from './tls-probe';
import { classifyError, Deadline, elapsed, ProbeTimeout, tcpConnect, type NetError } from './tcp';

export type { CertificateRequestInfo, CaName } from './tls-records';

export interface CertRequestTarget {
  /** Address judged by the network policy (resolveChecked / checkAddress). */
  address: string;
  port: number;
  /** SNI: the federation host name (or certauth.<host>). */
  servername?: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface CertRequestProbe {
  address: string;
  port: number;
  servername?: string;
  /** The handshake got far enough to tell whether a client certificate is requested. */
  ok: boolean;
  tlsVersion?: string;
  cipherSuite?: string;
  /** How the request was read: in clear (TLS 1.0-1.2), or decrypted from a TLS 1.3 handshake. */
  method?: 'tls12-clear' | 'tls13-keylog';
  requested?: boolean;
  request?: CertificateRequestInfo;
  /** Alert the server sent to the TLS 1.2 ClientHello, when it refused it. */
  tls12Refusal?: string;
  notes: string[];
  error?: NetError;
  ms: number;
}

type Tls12Outcome =
  | { kind: 'flight'; version: number; cipherSuite: number; request?: CertificateRequestInfo }
  | { kind: 'refused'; why: string };

function timeoutAfter<T>(ms: number, what: string, onTimeout: () => void): { promise: Promise<T>; clear: () => void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<T>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new ProbeTimeout(what));
    }, ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** One TLS 1.2 ClientHello, then the server's flight up to ServerHelloDone. */
async function tls12Flight(t: CertRequestTarget, dl: Deadline): Promise<Tls12Outcome> {
  const socket = await tcpConnect({ address: t.address, port: t.port, timeoutMs: dl.remaining(), allowPrivate: t.allowPrivate });
  const done = new Promise<Tls12Outcome>((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const hs = new HandshakeReader();
    let hello: ReturnType<typeof parseServerHello> | undefined;
    let request: CertificateRequestInfo | undefined;
    socket.on('data', (chunk: Buffer) => {
      try {
        pending = Buffer.concat([pending, chunk]);
        const { records, rest } = splitRecords(pending);
        pending = Buffer.from(rest);
        for (const r of records) {
          if (r.type === CONTENT.alert) {
            const desc = r.fragment[1];
            const name = ALERT_NAMES[desc] ?? `alert ${desc}`;
            if (!hello) return resolve({ kind: 'refused', why: `the server answered the TLS 1.2 ClientHello with the alert ${name}` });
            return reject(new TlsParseError(`the server sent the alert ${name} during the handshake`));
          }
          if (r.type !== CONTENT.handshake) return reject(new TlsParseError(`unexpected TLS record type ${r.type} before ServerHelloDone`));
          for (const m of hs.push(r.fragment)) {
            if (m.type === HANDSHAKE.serverHello) {
              hello = parseServerHello(m.body);
              if (hello.version > 0x0303) return reject(new TlsParseError('the server chose TLS 1.3 although the ClientHello offered TLS 1.2 at most'));
            } else if (m.type === HANDSHAKE.certificateRequest) {
              request = parseCertificateRequest12(m.body, hello?.version ?? 0x0303);
            } else if (m.type === HANDSHAKE.serverHelloDone) {
              if (!hello) return reject(new TlsParseError('ServerHelloDone without ServerHello'));
              return resolve({ kind: 'flight', version: hello.version, cipherSuite: hello.cipherSuite, request });
            }
          }
        }
      } catch (e) {
        reject(e);
      }
    });
    socket.on('error', (e) => reject(e));
    socket.on('close', () => {
      if (!hello) resolve({ kind: 'refused', why: 'the server closed the connection without answering the TLS 1.2 ClientHello' });
      else reject(Object.assign(new Error('the server closed the connection in the middle of the handshake'), { code: 'ECONNRESET' }));
    });
  });
  const timer = timeoutAfter<never>(dl.remaining(), `the TLS handshake with ${t.address} port ${t.port} did not finish within ${dl.totalMs} ms`, () => socket.destroy());
  socket.write(buildClientHello12(sniName(t.servername)));
  try {
    return await Promise.race([done, timer.promise]);
  } finally {
    timer.clear();
    socket.removeAllListeners('close');
    socket.destroy();
  }
}

/** A tap over a TCP socket that copies every byte the server sends (Node's TLS reads through it). */
class Tap extends SocketTap {
  readonly received: Buffer[] = [];
  constructor(inner: net.Socket) {
    super(inner, (b) => this.received.push(b));
  }
}

/** A TLS 1.3 handshake without a client certificate; the CertificateRequest is decrypted from the capture. */
async function tls13Flight(t: CertRequestTarget, dl: Deadline): Promise<{ cipherSuite: number; request?: CertificateRequestInfo; handshakeError?: string }> {
  const raw = await tcpConnect({ address: t.address, port: t.port, timeoutMs: dl.remaining(), allowPrivate: t.allowPrivate });
  const tap = new Tap(raw);
  const keylog: string[] = [];
  const socket = tls.connect({
    socket: tap,
    servername: sniName(t.servername),
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    // Only the handshake messages matter here; server certificate checks belong to the HTTPS probe.
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  socket.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1')));
  let handshakeError: string | undefined;
  const settled = new Promise<void>((resolve) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', (e) => {
      handshakeError = e.message;
      resolve();
    });
    socket.once('close', () => resolve());
  });
  const timer = timeoutAfter<never>(dl.remaining(), `the TLS 1.3 handshake with ${t.address} port ${t.port} did not finish within ${dl.totalMs} ms`, () => socket.destroy());
  try {
    await Promise.race([settled, timer.promise]);
  } finally {
    timer.clear();
    socket.destroy();
  }
  const secret = serverHandshakeSecret(keylog);
  if (!secret) throw new TlsParseError(`the TLS 1.3 handshake did not get far enough to read the server's messages${handshakeError ? ` (${handshakeError})` : ''}`);
  const flight = decryptServerFlight(Buffer.concat(tap.received), secret);
  const req = flight.messages.find((m) => m.type === HANDSHAKE.certificateRequest);
  return { cipherSuite: flight.cipherSuite, request: req ? parseCertificateRequest13(req.body) : undefined, handshakeError };
}

export async function probeCertificateRequest(t: CertRequestTarget): Promise<CertRequestProbe> {
  const t0 = performance.now();
  const dl = new Deadline(t.timeoutMs);
  const base = { address: t.address, port: t.port, servername: t.servername };
  const notes: string[] = [];
  let first: Tls12Outcome;
  try {
    first = await tls12Flight(t, dl);
  } catch (e) {
    return { ...base, ok: false, notes, error: toNetError(e), ms: elapsed(t0) };
  }
  if (first.kind === 'flight') {
    if (!first.request) {
      notes.push('The request was looked for in the initial handshake; a server that asks only later (TLS renegotiation after the HTTP request) is not seen here, and devices expect it in the initial handshake for AD FS certificate authentication.');
    }
    return {
      ...base,
      ok: true,
      tlsVersion: VERSION_NAMES[first.version] ?? `0x${first.version.toString(16)}`,
      cipherSuite: suiteName(first.cipherSuite),
      method: 'tls12-clear',
      requested: Boolean(first.request),
      request: first.request,
      notes,
      ms: elapsed(t0),
    };
  }
  notes.push(`${first.why}; asked again with TLS 1.3, where the request is encrypted and was decrypted with the session's handshake secret.`);
  try {
    const r = await tls13Flight(t, dl);
    return {
      ...base,
      ok: true,
      tlsVersion: 'TLSv1.3',
      cipherSuite: suiteName(r.cipherSuite),
      method: 'tls13-keylog',
      requested: Boolean(r.request),
      request: r.request,
      tls12Refusal: first.why,
      notes,
      ms: elapsed(t0),
    };
  } catch (e) {
    return { ...base, ok: false, tls12Refusal: first.why, notes, error: toNetError(e), ms: elapsed(t0) };
  }
}

function toNetError(e: unknown): NetError {
  if (e instanceof TlsParseError) return { kind: 'protocol', message: e.message };
  return classifyError(e);
}
