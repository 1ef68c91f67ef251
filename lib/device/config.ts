// Settings of the certauth listener, from the environment (README "Test the certificate on this device").
import { readFileSync } from 'node:fs';

export interface CertauthConfig {
  port: number;
  /** Address to bind; all interfaces unless CBA_DOCTOR_CERTAUTH_BIND says otherwise. */
  bind?: string;
  certPem: string;
  keyPem: string;
  /** CBA_DOCTOR_CERTAUTH_URL: the listener's public URL (default https://<host the browser used>:<port>). */
  publicUrl?: string;
  /** CBA_DOCTOR_PUBLIC_URL: the portal's public URL for the redirect (default http://<host the browser used>:<PORT>). */
  portalUrl?: string;
  /** Lower-case header name a TLS-terminating proxy fills with the URL-escaped client certificate; unset = never read. */
  trustedProxyHeader?: string;
}

type Env = Record<string, string | undefined>;

export function certauthPort(env: Env = process.env): number | undefined {
  const raw = env.CBA_DOCTOR_CERTAUTH_PORT?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : NaN;
}

/** undefined: the listener is not configured; otherwise the config or the reason it cannot start. */
export function certauthConfigFromEnv(env: Env = process.env): { ok: true; config: CertauthConfig } | { ok: false; error: string } | undefined {
  const port = certauthPort(env);
  if (port === undefined) return undefined;
  if (Number.isNaN(port)) return { ok: false, error: `CBA_DOCTOR_CERTAUTH_PORT must be a port number (1-65535), not ${JSON.stringify(env.CBA_DOCTOR_CERTAUTH_PORT)}.` };
  const certFile = env.CBA_DOCTOR_CERTAUTH_CERT;
  const keyFile = env.CBA_DOCTOR_CERTAUTH_KEY;
  if (!certFile || !keyFile)
    return { ok: false, error: 'CBA_DOCTOR_CERTAUTH_CERT and CBA_DOCTOR_CERTAUTH_KEY must name the PEM files of the listener\'s server certificate and key (npm start creates a self-signed pair under ./data).' };
  let certPem: string, keyPem: string;
  try {
    certPem = readFileSync(certFile, 'utf8');
    keyPem = readFileSync(keyFile, 'utf8');
  } catch (e) {
    return { ok: false, error: `could not read the certauth certificate or key: ${e instanceof Error ? e.message : String(e)}` };
  }
  const header = env.CBA_DOCTOR_TRUSTED_PROXY_CERT_HEADER?.trim().toLowerCase();
  return {
    ok: true,
    config: {
      port,
      bind: env.CBA_DOCTOR_CERTAUTH_BIND?.trim() || undefined,
      certPem,
      keyPem,
      publicUrl: trimSlash(env.CBA_DOCTOR_CERTAUTH_URL),
      portalUrl: trimSlash(env.CBA_DOCTOR_PUBLIC_URL),
      trustedProxyHeader: header || undefined,
    },
  };
}

function trimSlash(v: string | undefined): string | undefined {
  return v?.trim().replace(/\/+$/, '') || undefined;
}

/** Host name without port or IPv6 brackets, from a Host header. */
export function hostnameOf(hostHeader: string | null | undefined): string {
  const h = (hostHeader ?? '').trim();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.replace(/:\d+$/, '') || 'localhost';
}

const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);

/** The certauth URL the form links to: CBA_DOCTOR_CERTAUTH_URL, or https://<the portal's host>:<port>. */
export function certauthPublicUrl(env: Env, portalHostHeader: string | null | undefined): string | undefined {
  const port = certauthPort(env);
  if (port === undefined || Number.isNaN(port)) return undefined;
  return trimSlash(env.CBA_DOCTOR_CERTAUTH_URL) ?? `https://${bracket(hostnameOf(portalHostHeader))}:${port}`;
}

/** The portal URL the listener redirects to: CBA_DOCTOR_PUBLIC_URL, or http://<the host the browser used>:<PORT>. */
export function portalPublicUrl(config: Pick<CertauthConfig, 'portalUrl'>, certauthHostHeader: string | undefined, env: Env = process.env): string {
  return config.portalUrl ?? `http://${bracket(hostnameOf(certauthHostHeader))}:${env.PORT || '3000'}`;
}

/** Whether a host name can carry per-session names (ca-<token>.<host>): not an IP address. */
export function canUseSessionHosts(host: string): boolean {
  return !/^[\d.]+$/.test(host) && !host.includes(':');
}
