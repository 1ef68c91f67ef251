// One HTTP request over TLS to a policy-checked address, with SNI and Host set to the federation name
// (like curl --resolve), for the AD FS endpoints: the metadata document, and the certificate transport
// endpoint, whose healthy answer is no answer at all (the request is left waiting for a client
// certificate). Server certificate problems are the HTTPS check's business, so they do not stop it here.
import http from 'node:http';
import tls from 'node:tls';
import { classifyError, Deadline, elapsed, ProbeTimeout, tcpConnect } from '@/lib/net/tcp';
import { sniName } from '@/lib/net/tls-probe';
import type { HttpsExchange } from './types';

const USER_AGENT = 'cba-doctor/0.1 (+certificate-based authentication diagnostics)';

export interface ExchangeTarget {
  address: string;
  port: number;
  /** SNI and Host header. */
  host: string;
  method: 'GET' | 'POST';
  path: string;
  /** Connect + TLS (+ the whole answer in `fetch` mode). */
  timeoutMs: number;
  allowPrivate: boolean;
  /** fetch: read the answer (up to maxBytes); wait: succeed if nothing comes back for waitMs. */
  mode: { kind: 'fetch'; maxBytes: number } | { kind: 'wait'; waitMs: number };
}

export interface ExchangeResult extends HttpsExchange {
  body?: Buffer;
}

export async function httpsExchange(t: ExchangeTarget): Promise<ExchangeResult> {
  const t0 = performance.now();
  const dl = new Deadline(t.timeoutMs);
  let raw;
  try {
    raw = await tcpConnect({ address: t.address, port: t.port, timeoutMs: dl.remaining(), allowPrivate: t.allowPrivate });
  } catch (e) {
    const error = classifyError(e);
    return { outcome: 'error', bytes: 0, totalMs: elapsed(t0), error };
  }
  const socket = tls.connect({ socket: raw, servername: sniName(t.host), rejectUnauthorized: false, checkServerIdentity: () => undefined, ALPNProtocols: ['http/1.1'] });
  return new Promise<ExchangeResult>((resolve) => {
    let settled = false;
    let handshakeDone = false;
    let status: number | undefined;
    let contentType: string | undefined;
    let ttfbMs: number | undefined;
    let bytes = 0;
    const chunks: Buffer[] = [];
    let waitTimer: NodeJS.Timeout | undefined;
    const finish = (r: Omit<ExchangeResult, 'totalMs' | 'bytes' | 'tlsProtocol'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      clearTimeout(waitTimer);
      const tlsProtocol = handshakeDone ? (socket.getProtocol() ?? undefined) : undefined;
      socket.destroy();
      resolve({ ...r, bytes, tlsProtocol, totalMs: elapsed(t0) });
    };
    const deadlineTimer = setTimeout(() => {
      // In wait mode the deadline covers only connect + handshake; the wait timer takes over after that.
      if (t.mode.kind === 'wait' && handshakeDone) return;
      const what = handshakeDone ? 'a complete answer' : 'the TLS handshake to finish';
      finish({ outcome: 'error', status, error: classifyError(new ProbeTimeout(`waited ${t.timeoutMs} ms for ${what} from ${t.address} port ${t.port}`)) });
    }, dl.remaining());

    socket.once('secureConnect', () => {
      handshakeDone = true;
      const hostHeader = t.port === 443 ? t.host : `${t.host}:${t.port}`;
      const headers: Record<string, string> = { host: hostHeader, 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity', connection: 'close' };
      if (t.method === 'POST') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = '0';
      }
      // No agent: with createConnection and no agent, Node writes the request on this very socket.
      const req = http.request({ method: t.method, path: t.path, headers, createConnection: () => socket });
      req.on('response', (res) => {
        status = res.statusCode;
        contentType = res.headers['content-type'];
        ttfbMs = elapsed(t0);
        if (t.mode.kind === 'wait') {
          res.resume();
          return finish({ outcome: 'answered', status, contentType, ttfbMs });
        }
        const max = t.mode.maxBytes;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes > max) return finish({ outcome: 'error', status, contentType, ttfbMs, error: { kind: 'other', message: `the answer passed the ${max}-byte limit` } });
          chunks.push(c);
        });
        res.on('end', () => finish({ outcome: 'answered', status, contentType, ttfbMs, body: Buffer.concat(chunks) }));
        res.on('error', (e) => finish({ outcome: 'error', status, error: classifyError(e) }));
      });
      req.on('error', (e) => {
        const err = classifyError(e);
        const outcome = err.kind === 'reset' || /socket hang up/i.test(err.message) ? 'reset' : 'error';
        finish({ outcome, status, error: outcome === 'reset' ? { kind: 'reset', message: 'the server reset or closed the connection without answering', code: err.code } : err });
      });
      req.end();
      if (t.mode.kind === 'wait') {
        const waitMs = t.mode.waitMs;
        waitTimer = setTimeout(() => finish({ outcome: 'waiting' }), waitMs);
      }
    });
    socket.once('error', (e) => {
      if (handshakeDone) return; // the request's own error handler reports it
      const err = classifyError(e);
      finish({ outcome: err.kind === 'reset' ? 'reset' : 'error', error: err.kind === 'other' ? { ...err, kind: 'tls' } : err });
    });
    socket.once('close', () => {
      if (!handshakeDone) finish({ outcome: 'closed', error: { kind: 'closed', message: 'the server closed the connection during the TLS handshake' } });
      else if (status === undefined) finish({ outcome: 'closed', error: { kind: 'closed', message: 'the server closed the connection without answering' } });
      // The response's own 'end' may still be queued behind this event; let it win.
      else setTimeout(() => finish({ outcome: 'closed', status, contentType, ttfbMs, error: { kind: 'closed', message: 'the server closed the connection before the answer was complete' } }), 50);
    });
  });
}
