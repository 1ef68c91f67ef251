// Native Windows command lines the reports suggest. Each takes the input-derived values and returns the line, or
// undefined when a value is not inert on a command line (see native.ts); `fix` turns that into remediation.
import { inertArg, leftOutNote } from './native';
import { psArg } from './powershell';

export const certutilVerifyUrlfetch = (file: string) => (inertArg(file) ? `certutil -verify -urlfetch ${file}` : undefined);
export const certutilDump = (file: string) => (inertArg(file) ? `certutil -dump ${file}` : undefined);
export const nslookup = (host: string, server?: string) => (inertArg(host) && (server === undefined || inertArg(server)) ? `nslookup ${host}${server ? ` ${server}` : ''}` : undefined);
export const certutilAddStore = (store: 'Root' | 'CA', file: string) => (inertArg(file) ? `certutil -addstore -f ${store} ${file}` : undefined);
export const certutilDelStore = (store: 'Root' | 'CA', id: string) => (/^[0-9A-Fa-f]{1,128}$/.test(id) ? `certutil -delstore ${store} ${id}` : undefined);
export const certutilUnrevoke = (serial: string) => (/^[0-9A-Fa-f]{1,128}$/.test(serial) ? `certutil -revoke ${serial} unrevoke && certutil -crl` : undefined);

/**
 * A remediation with a command built from input-derived values: the command when every value is inert, else the
 * text alone with a sentence saying why the command is left out.
 */
export function fix(text: string, command: string | undefined, what: string, value: string): { text: string; command?: string } {
  return command ? { text, command } : { text: `${text.replace(/:\s*$/, '.')} ${leftOutNote(what, value)}` };
}

const port = (p: number) => (Number.isInteger(p) && p > 0 && p < 65536 ? String(p) : undefined);
/** A host for a command line: the name when inert, else a placeholder the reader must fill in. */
export const hostArg = (host: string) => inertArg(host) ?? '<host>';
export const opensslSClient = (host: string, p: number, extra = '') =>
  inertArg(host) && port(p) ? `openssl s_client -connect ${host}:${p} -servername ${host}${extra ? ` ${extra}` : ''} </dev/null` : undefined;
export const testNetConnection = (host: string, p: number) => (port(p) ? `Test-NetConnection ${psArg(host)} -Port ${p}` : undefined);
export const netshShowSslcert = (host: string, p: number) => (inertArg(host) && port(p) ? `netsh http show sslcert hostnameport=${host}:${p}` : undefined);
/** curl printing only the HTTP status; the URL only when it is a plain word (no quoting works in both shells). */
export const curlStatus = (url: string) => (inertArg(url) ? `curl -sS -o /dev/null -w "%{http_code}\\n" ${url}` : undefined);
