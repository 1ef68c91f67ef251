// Loopback stand-ins for the AD FS probes' tests: a TLS server certificate for the federation name from a
// test CA, TLS servers that ask (or not) for client certificates, an AD FS HTTPS stand-in and a realm
// discovery stand-in. Test support only; nothing here is bundled into the CLI or the portal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { days, genKey, makeCert, makePki, type GenCert, type Pki } from '@/test/pki/gen';

export const FED_HOST = 'sts.contoso.test';

export interface ServerIdentity {
  /** The CA that signed the server certificate (trust it through NODE_EXTRA_CA_CERTS or extraCa). */
  tlsRoot: GenCert;
  server: GenCert;
  keyPem: string;
}

/** A server certificate for the federation name (and certauth.<name>), from its own test root. */
export async function serverIdentity(o: { host?: string; notAfter?: Date; notBefore?: Date; dnsNames?: string[] } = {}): Promise<ServerIdentity> {
  const host = o.host ?? FED_HOST;
  const tlsRoot = await makeCert({
    subject: 'CN=Fabrikam Test TLS Root, O=Fabrikam Test, C=US',
    key: 'p256',
    basicConstraints: { ca: true, critical: true },
    keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
    notBefore: days(-30),
    notAfter: days(3650),
  });
  const server = await makeCert({
    subject: `CN=${host}, O=Contoso, C=US`,
    issuer: tlsRoot,
    key: 'p256',
    san: (o.dnsNames ?? [host, `certauth.${host}`]).map((value) => ({ type: 'dns' as const, value })),
    eku: ['1.3.6.1.5.5.7.3.1'],
    keyUsage: ['digitalSignature'],
    notBefore: o.notBefore ?? days(-10),
    notAfter: o.notAfter ?? days(300),
  });
  return { tlsRoot, server, keyPem: server.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** The user's PKI (root → issuing CA → user with a UPN). */
export async function userPki(upn = 'alice@contoso.com'): Promise<Pki> {
  // No AIA: the chain is built from the uploads alone. CDPs under .test never resolve (RFC 6761), so a
  // full diagnosis fails its CRL downloads at once instead of reaching out to the Internet.
  return makePki({ upn, baseUrl: 'http://pki.contoso.test', root: { key: 'p256' }, ca: { key: 'p256', aia: null }, user: { key: 'p256', aia: null } });
}

/** `n` CA certificates with long names, to make a large acceptable-CA list. */
export async function manyCas(n: number): Promise<GenCert[]> {
  const key = await genKey('p256');
  const out: GenCert[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await makeCert({
        subject: `CN=Filler Certification Authority number ${i} with a deliberately long common name, OU=Public Key Services department ${i}, O=Northwind Traders International Holdings ${i}, L=Redmond, ST=Washington, C=US`,
        key,
        basicConstraints: { ca: true, critical: true },
        keyUsage: ['keyCertSign', 'cRLSign'],
      }),
    );
  }
  return out;
}

export interface Running {
  port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export interface TlsServerOptions {
  id: ServerIdentity;
  requestCert?: boolean;
  /** CA certificates whose names the server puts in its CertificateRequest. */
  clientCas?: GenCert[];
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** HTTP handler; without one the server only does TLS. */
  handler?: http.RequestListener;
}

/** A TLS (or HTTPS when a handler is given) server on 127.0.0.1, port 0. */
export async function startTlsServer(o: TlsServerOptions): Promise<Running> {
  const opts: tls.TlsOptions = {
    cert: o.id.server.pem,
    key: o.id.keyPem,
    requestCert: o.requestCert ?? false,
    rejectUnauthorized: false,
    ca: o.clientCas?.map((c) => c.pem),
    minVersion: o.minVersion,
    maxVersion: o.maxVersion,
  };
  const server: net.Server = o.handler
    ? https.createServer(opts, o.handler)
    : tls.createServer(opts, (s) => {
        s.on('error', () => {});
        s.end();
      });
  server.on('tlsClientError', () => {});
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** A port that accepts nothing: bound then closed, so connecting is refused. */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TLS server that, like http.sys bindings for AD FS, has a certificate only for clients that send SNI. */
export async function startSniOnlyServer(id: ServerIdentity, handler?: http.RequestListener): Promise<Running> {
  const ctx = tls.createSecureContext({ cert: id.server.pem, key: id.keyPem });
  const opts: tls.TlsOptions = { SNICallback: (_name, cb) => cb(null, ctx) };
  const server: net.Server = handler ? https.createServer(opts, handler) : tls.createServer(opts, (s) => s.end());
  server.on('tlsClientError', () => {});
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

export const METADATA_XML = (host = FED_HOST) =>
  `<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_6f1c" entityID="http://${host}/adfs/services/trust" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><RoleDescriptor xsi:type="fed:SecurityTokenServiceType" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706"/></EntityDescriptor>`;

export type TransportBehaviour = 'hang' | 'reset' | 'close' | 'http-404' | 'http-200';

/** Request handler of an AD FS stand-in: metadata, and the certificate transport endpoint. */
export function adfsHandler(o: { metadata?: 'ok' | 'html' | 404; transport?: TransportBehaviour } = {}): http.RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0].toLowerCase();
    if (path === '/federationmetadata/2007-06/federationmetadata.xml') {
      const m = o.metadata ?? 'ok';
      if (m === 404) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      if (m === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in</body></html>');
      return void res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(METADATA_XML(String(req.headers.host ?? FED_HOST).split(':')[0]));
    }
    if (path === '/adfs/services/trust/2005/certificatetransport') {
      switch (o.transport ?? 'hang') {
        case 'hang':
          return; // like AD FS waiting for the certificate: no answer, connection kept open
        case 'reset': {
          // A TCP reset must come from the TCP socket beneath TLS (the TLS socket cannot send one).
          const raw = (req.socket as unknown as { _parent?: net.Socket })._parent;
          return void (raw ? raw.resetAndDestroy() : req.socket.destroy());
        }
        case 'close':
          return void req.socket.destroy();
        case 'http-404':
          return void res.writeHead(404).end('Not Found');
        case 'http-200':
          return void res.writeHead(200).end('ok');
      }
    }
    if (path === '/host-echo') return void res.writeHead(200).end(String(req.headers.host));
    res.writeHead(404).end();
  };
}

export type RealmEntry = { namespace: 'Federated'; authHost: string; brand?: string } | { namespace: 'Managed'; brand?: string };

/** The XML getuserrealm.srf returns (xml=1), for a login and what its domain is. */
export function realmXml(login: string, e: RealmEntry | undefined): string {
  const domain = login.split('@').pop() ?? login;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (!e) return `<RealmInfo Success="true"><State>4</State><UserState>1</UserState><Login>${esc(login)}</Login><NameSpaceType>Unknown</NameSpaceType></RealmInfo>`;
  const common = `<Login>${esc(login)}</Login><NameSpaceType>${e.namespace}</NameSpaceType><DomainName>${esc(domain)}</DomainName>`;
  const tail = `<FederationBrandName>${esc(e.brand ?? domain)}</FederationBrandName><CloudInstanceName>microsoftonline.com</CloudInstanceName><CloudInstanceIssuerUri>urn:federation:MicrosoftOnline</CloudInstanceIssuerUri>`;
  if (e.namespace === 'Managed') return `<RealmInfo Success="true"><State>4</State><UserState>1</UserState>${common}<IsFederatedNS>false</IsFederatedNS>${tail}</RealmInfo>`;
  const auth = `https://${e.authHost}/adfs/ls/?username=${encodeURIComponent(login)}&wa=wsignin1.0&wtrealm=urn%3afederation%3aMicrosoftOnline&wctx=`;
  return (
    `<RealmInfo Success="true"><State>3</State><UserState>2</UserState>${common}<FederationGlobalVersion>-1</FederationGlobalVersion>` +
    `<AuthURL>${esc(auth)}</AuthURL><IsFederatedNS>true</IsFederatedNS><STSAuthURL>https://${e.authHost}/adfs/services/trust/2005/usernamemixed</STSAuthURL>` +
    `<FederationTier>0</FederationTier>${tail}<MEXURL>https://${e.authHost}/adfs/services/trust/mex</MEXURL><PreferredProtocol>1</PreferredProtocol></RealmInfo>`
  );
}

export interface RealmStandIn extends Running {
  url: string;
  /** Logins asked for, in order. */
  asked: string[];
}

/** A getuserrealm.srf stand-in over plain HTTP: domains map to Federated or Managed, the rest is Unknown. */
export async function startRealm(domains: Record<string, RealmEntry>): Promise<RealmStandIn> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/getuserrealm.srf') return void res.writeHead(404).end();
    const login = u.searchParams.get('login') ?? '';
    asked.push(login);
    const domain = login.split('@').pop()?.toLowerCase() ?? '';
    const entry = domains[domain];
    if (u.searchParams.get('xml') === '1') return void res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(realmXml(login, entry));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ Login: login, NameSpaceType: entry?.namespace ?? 'Unknown', DomainName: domain, AuthURL: entry?.namespace === 'Federated' ? `https://${entry.authHost}/adfs/ls/` : undefined }),
    );
  });
  const sockets = track(server);
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}/getuserrealm.srf`, asked, close: closer(server, sockets) };
}

/**
 * Trusts the stand-in's TLS root the way a deployment would: a PEM file named by NODE_EXTRA_CA_CERTS
 * (read by the TLS probe at run time, and by Node itself in a child process). Returns the file and an undo.
 */
export function trustRootViaEnv(root: GenCert): { file: string; undo(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cbad-ca-'));
  const file = join(dir, 'extra-ca.pem');
  writeFileSync(file, root.pem);
  const before = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = file;
  return {
    file,
    undo() {
      if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = before;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP server that accepts connections and never says anything: every TLS handshake hangs. */
export async function startSilentServer(): Promise<Running> {
  const server = (await import('node:net')).createServer(() => {});
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}
