// Tokens for Microsoft Graph by client credentials, through Microsoft's own library (@azure/msal-node): no
// hand-written OAuth. MSAL keeps the token in its in-memory cache until it expires, so one client per
// configuration is reused across diagnoses.
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import type { GraphSettings } from './config';
import { DEFAULT_AUTHORITY } from './config';
import { msalNetwork, type NetOptions } from './network';

export class GraphTokenError extends Error {
  constructor(
    message: string,
    /** MSAL's error code (invalid_client, unauthorized_client...) when it gave one. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

const clients = new Map<string, ConfidentialClientApplication>();

function clientFor(s: GraphSettings, net: NetOptions): ConfidentialClientApplication {
  const key = JSON.stringify([s.tenantId, s.clientId, s.authority, s.credential.kind === 'secret' ? s.credential.secret : s.credential.thumbprintSha256, net.allowPrivate]);
  let c = clients.get(key);
  if (c) return c;
  const authority = `${s.authority}/${s.tenantId}`;
  const config: Configuration = {
    auth: {
      clientId: s.clientId,
      authority,
      // A national cloud or a stand-in: trust the configured host instead of asking Microsoft's instance discovery.
      ...(s.authority !== DEFAULT_AUTHORITY ? { knownAuthorities: [new URL(s.authority).host] } : {}),
      ...(s.credential.kind === 'secret'
        ? { clientSecret: s.credential.secret }
        : { clientCertificate: { thumbprintSha256: s.credential.thumbprintSha256, privateKey: s.credential.privateKey, x5c: s.credential.x5c } }),
    },
    system: { networkClient: msalNetwork(net), disableInternalRetries: true },
  };
  c = new ConfidentialClientApplication(config);
  clients.set(key, c);
  return c;
}

/** An access token for Graph (from MSAL's cache while it is valid). */
export async function graphToken(s: GraphSettings, net: NetOptions): Promise<string> {
  try {
    const r = await clientFor(s, net).acquireTokenByClientCredential({ scopes: [`${s.graphUrl}/.default`] });
    if (!r?.accessToken) throw new GraphTokenError('The token endpoint gave no access token.', null);
    return r.accessToken;
  } catch (e) {
    if (e instanceof GraphTokenError) throw e;
    const err = e as { errorCode?: string; errorMessage?: string; message?: string };
    throw new GraphTokenError(err.errorMessage || err.message || String(e), err.errorCode ?? null);
  }
}
