// A loopback HTTPS stand-in for Microsoft's token endpoint (OpenID discovery + token) and for the Graph endpoints
// CBA Doctor reads, driven by the real MSAL client. Behaviour per test: wrong secret, missing permission, unknown
// user, throttling, a slow Graph.
import { X509Certificate, constants, createHash, verify } from 'node:crypto';
import { serverIdentity, type ServerIdentity } from '@/test/adfs/standins';
import { startLoopback, type Handler, type Loopback } from '@/test/net/loopback';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '0f0e0d0c-0b0a-4908-9706-050403020100';
export const SECRET = 'stand-in-secret';

export interface GraphStandIn {
  lb: Loopback;
  id: ServerIdentity;
  authority: string;
  graphUrl: string;
  /** Sets Graph's answer for a path (after /graph, query included), as [status, json, headers]. */
  answer(path: string, fn: () => [number, unknown, Record<string, string>?] | 'hang'): void;
  tokens: number;
  /** The app's certificate (PEM), for client-assertion (certificate credential) token requests. */
  appCertificate?: string;
  close(): Promise<void>;
}

/** Does the client assertion (a JWT signed with the app's key) verify against the registered certificate? */
function assertionValid(jwt: string, certPem: string | undefined): boolean {
  if (!certPem) return false;
  const [h, p, sig] = jwt.split('.');
  if (!h || !p || !sig) return false;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; 'x5t#S256'?: string };
  const cert = new X509Certificate(certPem);
  if (header['x5t#S256'] !== createHash('sha256').update(cert.raw).digest('base64url')) return false;
  const data = Buffer.from(`${h}.${p}`);
  const key = cert.publicKey;
  if (header.alg === 'PS256') return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig, 'base64url'));
  if (header.alg === 'RS256') return verify('sha256', data, key, Buffer.from(sig, 'base64url'));
  return false;
}

const json = (res: Parameters<Handler>[1], status: number, body: unknown, headers: Record<string, string> = {}) => {
  const b = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b), ...headers }).end(b);
};

export async function graphStandIn(): Promise<GraphStandIn> {
  const id = await serverIdentity({ host: 'localhost', dnsNames: ['localhost'] });
  const routes: Record<string, Handler> = {};
  const issued = new Set<string>();
  const answers = new Map<string, () => [number, unknown, Record<string, string>?] | 'hang'>();
  const lb = await startLoopback(routes, { key: id.keyPem, cert: id.server.pem });
  const base = `https://localhost:${lb.port}`;
  const s: GraphStandIn = {
    lb,
    id,
    authority: base,
    graphUrl: `${base}/graph`,
    answer: (path, fn) => {
      answers.set(path, fn);
      // The loopback server matches the path as sent, percent-encoded.
      routes[`/graph${path.split('?')[0].split('/').map(encodeURIComponent).join('/')}`] = graphHandler;
    },
    tokens: 0,
    close: () => lb.close(),
  };
  routes[`/${TENANT}/v2.0/.well-known/openid-configuration`] = (_req, res) =>
    json(res, 200, {
      token_endpoint: `${base}/${TENANT}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/${TENANT}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/${TENANT}/oauth2/v2.0/logout`,
      issuer: `${base}/${TENANT}/v2.0`,
      jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'token'],
    });
  routes[`/${TENANT}/oauth2/v2.0/token`] = (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = new URLSearchParams(body);
      const assertion = p.get('client_assertion');
      const ok = p.get('client_id') === CLIENT && (assertion ? assertionValid(assertion, s.appCertificate) : p.get('client_secret') === SECRET);
      if (!ok)
        return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
      s.tokens++;
      issued.add(`token-${s.tokens}`);
      json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `token-${s.tokens}` });
    });
  };
  return s;
  // Graph: every path under /graph, looked up with its query string.
  function graphHandler(...[req, res]: Parameters<Handler>) {
    const path = (req.url ?? '').replace(/^\/graph/, '');
    if (!issued.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    const answer = answers.get(decodeURIComponent(path));
    if (!answer) return json(res, 404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${path}' does not exist.` } });
    const a = answer();
    if (a === 'hang') return; // a Graph that never answers (the loopback server drops the socket on close)
    const [status, body, headers] = a;
    json(res, status, body, headers);
  }
}
