// Loopback TLS stand-ins for the certificate binding's TLS probe (adfs.cert-binding-tls): a server identity
// with an intermediate CA, and servers that negotiate h2, send only their leaf, require SNI, or speak TLS 1.3
// only. Test support only.
import type net from 'node:net';
import tls from 'node:tls';
import { days, makeCert, type GenCert } from '@/test/pki/gen';
import { FED_HOST } from '@/test/adfs/standins';

export interface ChainIdentity {
  root: GenCert;
  intermediate: GenCert;
  leaf: GenCert;
  keyPem: string;
}

/** root → intermediate → leaf for `names` (default the federation host and certauth.<host>). */
export async function chainIdentity(names: string[] = [FED_HOST, `certauth.${FED_HOST}`]): Promise<ChainIdentity> {
  const root = await makeCert({ subject: 'CN=Binding Test Root, O=Fabrikam Test, C=US', key: 'p256', basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: days(-30), notAfter: days(3650) });
  const intermediate = await makeCert({ subject: 'CN=Binding Test Issuing CA, O=Fabrikam Test, C=US', issuer: root, key: 'p256', basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: days(-30), notAfter: days(1800) });
  const leaf = await makeCert({
    subject: `CN=${names[0]}, O=Contoso, C=US`,
    issuer: intermediate,
    key: 'p256',
    san: names.map((value) => ({ type: 'dns' as const, value })),
    eku: ['1.3.6.1.5.5.7.3.1'],
    keyUsage: ['digitalSignature'],
    notBefore: days(-10),
    notAfter: days(300),
  });
  return { root, intermediate, leaf, keyPem: leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export interface BindingServerOptions {
  id: ChainIdentity;
  /** full: leaf and intermediate (as a well-configured http.sys does); leaf: the leaf alone. */
  chain?: 'full' | 'leaf';
  /** ALPN protocols the server accepts, in its order of preference (h2 first: it picks h2 when offered). */
  alpn?: string[];
  /** Only a client that sends SNI gets a certificate (like AD FS's host-name bindings). */
  sniOnly?: boolean;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** Ask for a client certificate, as the certificate binding does. */
  requestCert?: boolean;
  host?: string;
  port?: number;
}

export interface BindingServer {
  port: number;
  close(): Promise<void>;
}

export async function startBindingServer(o: BindingServerOptions): Promise<BindingServer> {
  const cert = o.chain === 'leaf' ? o.id.leaf.pem : `${o.id.leaf.pem}\n${o.id.intermediate.pem}`;
  const material = { cert, key: o.id.keyPem };
  const ctx = tls.createSecureContext({ ...material, minVersion: o.minVersion, maxVersion: o.maxVersion });
  const opts: tls.TlsOptions = {
    ...(o.sniOnly ? { SNICallback: (_n: string, cb: (e: Error | null, c?: tls.SecureContext) => void) => cb(null, ctx) } : material),
    ALPNProtocols: o.alpn,
    minVersion: o.minVersion,
    maxVersion: o.maxVersion,
    requestCert: o.requestCert ?? true,
    rejectUnauthorized: false,
  };
  const server = tls.createServer(opts, (s) => {
    s.on('error', () => {});
    s.end();
  });
  server.on('tlsClientError', () => {});
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
