// Real HTTP(S) servers on 127.0.0.1 for the network tests: each route is an ordinary node:http handler.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Loopback {
  port: number;
  /** http://127.0.0.1:port/path (or https://localhost:port/path for TLS servers). */
  url(path: string): string;
  /** Requests seen, by path. */
  hits: string[];
  close(): Promise<void>;
}

export async function startLoopback(routes: Record<string, Handler>, tls?: { key: string; cert: string }): Promise<Loopback> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const handler: Handler = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.push(path);
    const h = routes[path];
    if (h) return h(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hits,
    url: (p) => `${tls ? 'https://localhost' : 'http://127.0.0.1'}:${port}${p}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const serve =
  (body: Uint8Array | string, contentType = 'application/pkix-crl', status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

export const redirect =
  (to: string, status = 302): Handler =>
  (_req, res) => {
    res.writeHead(status, { location: to }).end();
  };

/** Sends headers at once, then the body in small pieces with pauses (a slow CRL server). */
export const trickle =
  (body: Uint8Array, pieces: number, pauseMs: number): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length });
    const size = Math.ceil(body.length / pieces);
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i >= body.length) return void res.end();
      res.write(body.subarray(i, i + size));
      i += size;
      setTimeout(next, pauseMs);
    };
    next();
  };

/** Accepts the request and never answers. */
export const hang: Handler = () => {};

/** A free loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
