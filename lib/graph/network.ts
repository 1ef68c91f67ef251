// MSAL's HTTP calls (OpenID discovery, token requests) through the guarded network layer, so the token endpoint
// is subject to the same network policy, time limits and byte caps as every other connection.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { guardedFetch, type GuardedFetchOptions } from '@/lib/net/http';

/** Token and discovery answers are small. */
const MAX_BYTES = 1024 * 1024;

export interface NetOptions {
  allowPrivate: boolean;
  resolve?: Record<string, string>;
  timeoutMs: number;
  /** Test hook: extra trust anchors and the like. */
  fetch?: Partial<GuardedFetchOptions>;
}

export async function apiRequest(url: string, net: NetOptions, o: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}) {
  const r = await guardedFetch(url, {
    allowPrivate: net.allowPrivate,
    resolve: net.resolve,
    timeoutMs: o.timeoutMs ?? net.timeoutMs,
    maxBytes: MAX_BYTES,
    anyStatus: true,
    method: o.method,
    body: o.body,
    headers: { accept: 'application/json', ...o.headers },
    ...net.fetch,
  });
  let json: unknown = undefined;
  if (r.body?.length) {
    try {
      json = JSON.parse(Buffer.from(r.body).toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  return { record: r.record, json };
}

export function msalNetwork(net: NetOptions): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const r = await apiRequest(url, net, { method, headers: options?.headers, body: options?.body, timeoutMs: timeout });
    if (!r.record.ok) throw new Error(`${url}: ${r.record.error?.message ?? 'no answer'}`);
    return { status: r.record.httpStatus ?? 0, headers: r.record.headers ?? {}, body: (r.json ?? {}) as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
