// TCP connect with a time limit, to an address the network policy already judged. Callers resolve with
// resolveChecked (lib/net/policy) first and pass the address here: no name ever reaches net.connect, so
// nothing can be looked up a second time behind the policy's back.
import net from 'node:net';
import { checkAddress, DnsError, PolicyError } from './policy';
import { netFailure } from './events';

export type NetErrorKind = 'dns' | 'blocked' | 'refused' | 'timeout' | 'reset' | 'closed' | 'unreachable' | 'tls' | 'protocol' | 'other';

export interface NetError {
  kind: NetErrorKind;
  message: string;
  /** The system or OpenSSL code when there is one (ECONNREFUSED, ERR_SSL_...). */
  code?: string;
  /** blocked only: true when the address is refused because it is private (--allow-private would lift it),
   *  false when it is refused whatever the settings (cloud metadata and other never-allowed addresses). */
  privateOnly?: boolean;
}

export class ProbeTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeTimeout';
  }
}

/** Maps anything thrown by dns, net or tls to the kind of failure the report talks about. */
export function classifyError(e: unknown): NetError {
  if (e instanceof PolicyError) return { kind: 'blocked', message: e.message, privateOnly: checkAddress(e.address, true).allowed };
  if (e instanceof DnsError) return { kind: 'dns', message: e.message, code: e.code };
  if (e instanceof ProbeTimeout) return { kind: 'timeout', message: e.message };
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  const message = err instanceof Error ? err.message : String(e);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', message: 'the connection was refused (nothing listens on that port, or a firewall rejects it)', code };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', message: 'the server reset the connection', code };
    case 'ETIMEDOUT':
      return { kind: 'timeout', message, code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return { kind: 'unreachable', message: `no route to the address (${code})`, code };
  }
  if (typeof code === 'string' && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|ssl|tls/i.test(message))) {
    return { kind: 'tls', message, code };
  }
  return { kind: 'other', message, code };
}

export interface TcpTarget {
  /** An IP address the caller got from resolveChecked (or a node address it judged with checkAddress). */
  address: string;
  port: number;
  timeoutMs: number;
  /** Judged again here so a caller that forgot the policy cannot connect to a refused address. */
  allowPrivate: boolean;
}

/** Opens a TCP connection; rejects with a classified error (see classifyError) on refusal or timeout. */
export function tcpConnect(t: TcpTarget): Promise<net.Socket> {
  const verdict = checkAddress(t.address, t.allowPrivate);
  if (!verdict.allowed) return Promise.reject(new PolicyError(t.address, t.address, verdict.reason));
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: t.address, port: t.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeTimeout(`no TCP answer from ${t.address} port ${t.port} within ${t.timeoutMs} ms (a firewall may drop the packets)`));
    }, t.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    });
  });
}

export interface TcpResult {
  address: string;
  port: number;
  ok: boolean;
  ms: number;
  error?: NetError;
}

/** Connects, measures and closes: the port probe. */
export async function tcpProbe(t: TcpTarget): Promise<TcpResult> {
  const t0 = performance.now();
  try {
    const s = await tcpConnect(t);
    s.destroy();
    return { address: t.address, port: t.port, ok: true, ms: elapsed(t0) };
  } catch (e) {
    const error = classifyError(e);
    netFailure('tcp', error.kind);
    return { address: t.address, port: t.port, ok: false, ms: elapsed(t0), error };
  }
}

export function elapsed(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

/** Time budget shared by the steps of one probe (DNS, connect, handshake), so a probe ends at its limit. */
export class Deadline {
  private readonly end: number;
  constructor(readonly totalMs: number) {
    this.end = performance.now() + totalMs;
  }
  remaining(): number {
    return Math.max(1, Math.round(this.end - performance.now()));
  }
  expired(): boolean {
    return performance.now() >= this.end;
  }
}
