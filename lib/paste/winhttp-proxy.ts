// netsh winhttp show proxy: the machine-wide WinHTTP proxy, which Windows services (CRL and AIA retrieval for
// Schannel and AD FS among them) use; the browsers' proxy settings do not apply to them.
//   Current WinHTTP proxy settings:
//       Direct access (no proxy server).
// or
//       Proxy Server(s) :  proxy.contoso.com:8080
//       Bypass List     :  *.contoso.com;<local>
import { head2, heads, quote, type Line } from './text';
import type { WinHttpProxyData } from './types';

export const WINHTTP_MARKER_HEADS = ['Cu', 'Di', 'Pr', 'By'];
const SCORED = heads(...WINHTTP_MARKER_HEADS);
const HEADER = /^Current WinHTTP proxy settings:?$/i;
const DIRECT = /^Direct access \(no proxy server\)\.?$/i;
const PROXY = /^Proxy Server\(s\)\s*:\s*(.*)$/i;
const BYPASS = /^Bypass List\s*:\s*(.*)$/i;

export function lineScoreWinHttp(t: string): number {
  if (!SCORED.has(head2(t))) return 0;
  if (HEADER.test(t)) return 4;
  if (DIRECT.test(t) || PROXY.test(t)) return 3;
  if (BYPASS.test(t)) return 2;
  return 0;
}

export function parseWinHttpProxy(lines: Line[]): WinHttpProxyData {
  const d: WinHttpProxyData = { header: false, direct: null, proxyServer: null, bypassList: null, lines: [] };
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if (HEADER.test(t)) d.header = true;
    else if (DIRECT.test(t)) {
      d.direct = quote(true, l);
    } else if ((m = PROXY.exec(t))) {
      d.direct = quote(false, l);
      d.proxyServer = quote(m[1].trim(), l);
    } else if ((m = BYPASS.exec(t))) {
      d.bypassList = quote(
        m[1]
          .split(/[;,\s]+/)
          .map((x) => x.trim())
          .filter((x) => x && x !== '(none)'),
        l,
      );
    } else continue;
    if (d.lines.length < 20) d.lines.push({ line: l.n, text: t });
  }
  return d;
}

/**
 * Does a WinHTTP bypass entry match a host? Entries are host names with * wildcards, and <local> (names
 * without a dot). Case-insensitive.
 */
export function bypassMatches(entry: string, host: string): boolean {
  const e = entry.toLowerCase();
  const h = host.toLowerCase();
  if (e === '<local>') return !h.includes('.');
  const bare = e.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
  const re = new RegExp(`^${bare.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(h);
}
