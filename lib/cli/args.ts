// Argument parsing for `cba-doctor diagnose`, strict: unknown flags and bad values are usage errors (exit 2).
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerName, normalizeServerName } from '@/lib/report/submission';
import type { Cloud, Target } from '@/lib/report/schema';

export class UsageError extends Error {}

export const USAGE = `Usage: cba-doctor diagnose [options]

Diagnose certificate-based authentication to Microsoft Entra ID (AD FS federated CBA or Entra native CBA).

Options:
  --cert FILE             user or CA certificate (DER, PEM, PKCS#7); repeat for each file
  --user FILE             the user's certificate, when the automatic choice among the files is not it
  --upn ADDRESS           the user's sign-in address (alice@contoso.com)
  --domain DOMAIN         the user's domain (defaults to the part after @ in --upn)
  --adfs HOST             the AD FS federation host name (sts.contoso.com)
  --node ADDRESS          probe this AD FS/WAP server address for the federation host; repeatable
  --resolve HOST:ADDRESS  use ADDRESS for HOST instead of DNS; repeatable
  --tls-client-port N     the certificate authentication port (default 49443)
  --target adfs|entra     which CBA flavour to judge against (default: from realm discovery)
  --cloud public|usgov    the tenant's Microsoft cloud (default public; usgov: GCC High and DoD, larger CRL limits)
  --crl FILE              a CRL to use instead of downloading it; repeatable
  --paste [NODE=]FILE     saved output of an admin command (Get-AdfsAuthenticationProvider, netsh, certutil...); repeatable.
                          NODE= names the AD FS or WAP server it came from (e.g. --paste ADFS01=sslcert.txt)
  --graph                 read the tenant's CBA settings, the user and the trust store live from Microsoft Graph
                          (needs CBA_DOCTOR_GRAPH_* settings, see README); a pasted object wins over the live one
  --correlation-id GUID   with --graph: also read the sign-in log entries of this correlation ID
  --at ISO-8601           evaluate validity at this time instead of now
  --offline               skip every network check
  --allow-private         allow probes to private and loopback addresses
  --timeout SECONDS       time limit per network probe (default 10)
  --json                  print the report as JSON (schemaVersion 1)
  --verbose               also list skipped checks
  -h, --help              show this help

Exit status: 0 no check failed, 1 a check failed, 2 bad usage (no --cert, an unreadable file).
Example:
  cba-doctor diagnose --cert user.cer --cert issuing.cer --cert root.cer --upn alice@contoso.com --offline
`;

export interface CliArgs {
  help: boolean;
  certs: string[];
  /** The certificate file to diagnose as the user's (also uploaded). */
  user?: string;
  crls: string[];
  /** --paste FILE or --paste NODE=FILE (the server the output came from). */
  pastes: { file: string; node?: string }[];
  upn?: string;
  domain?: string;
  adfs?: string;
  nodes: string[];
  resolve: Record<string, string>;
  tlsClientPort?: number;
  target?: Target;
  cloud?: Cloud;
  at?: Date;
  offline: boolean;
  allowPrivate: boolean;
  timeout?: number;
  json: boolean;
  verbose: boolean;
  graph?: boolean;
  correlationId?: string;
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export function isHostName(s: string): boolean {
  return HOST.test(s) || isIP(s) !== 0;
}

export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = { help: false, certs: [], crls: [], pastes: [], nodes: [], resolve: {}, offline: false, allowPrivate: false, json: false, verbose: false };
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return { ...a, help: true };
  if (argv[0] !== 'diagnose') throw new UsageError(`unknown command "${argv[0]}" (the command is "diagnose")`);
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    let flag = rest[i];
    let val: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      val = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const need = () => {
      if (val !== undefined) return val;
      const v = rest[++i];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '--cert':
        a.certs.push(need());
        break;
      case '--user':
        if (a.user !== undefined) throw new UsageError('--user may be given once');
        a.user = need();
        break;
      case '--crl':
        a.crls.push(need());
        break;
      case '--paste':
        a.pastes.push(pasteArg(need()));
        break;
      case '--upn': {
        const v = need().trim();
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) throw new UsageError(`--upn "${v}" is not an address like alice@contoso.com`);
        a.upn = v;
        break;
      }
      case '--domain': {
        const v = need().trim().replace(/\.$/, '');
        if (!HOST.test(v)) throw new UsageError(`--domain "${v}" is not a domain name`);
        a.domain = v;
        break;
      }
      case '--adfs': {
        const v = need().trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
        if (!HOST.test(v)) throw new UsageError(`--adfs "${v}" is not a host name`);
        a.adfs = v;
        break;
      }
      case '--node': {
        const v = need().trim();
        if (!isHostName(v)) throw new UsageError(`--node "${v}" is not an IP address or host name`);
        a.nodes.push(v);
        break;
      }
      case '--resolve': {
        const v = need().trim();
        const m = /^([^:]+):(.+)$/.exec(v);
        const addr = m?.[2].replace(/^\[(.*)\]$/, '$1');
        if (!m || !HOST.test(m[1]) || !addr || isIP(addr) === 0) throw new UsageError(`--resolve "${v}" must be HOST:ADDRESS, for example sts.contoso.com:192.0.2.10`);
        a.resolve[m[1].toLowerCase()] = addr;
        break;
      }
      case '--tls-client-port': {
        const v = need();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--tls-client-port "${v}" is not a port number (1-65535)`);
        a.tlsClientPort = n;
        break;
      }
      case '--target': {
        const v = need();
        if (v !== 'adfs' && v !== 'entra') throw new UsageError(`--target must be adfs or entra, not "${v}"`);
        a.target = v;
        break;
      }
      case '--cloud': {
        const v = need();
        if (v !== 'public' && v !== 'usgov') throw new UsageError(`--cloud must be public or usgov, not "${v}"`);
        a.cloud = v;
        break;
      }
      case '--at': {
        const v = need();
        const d = new Date(v);
        if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) throw new UsageError(`--at "${v}" is not an ISO-8601 time (for example 2026-01-31 or 2026-01-31T12:00:00Z)`);
        a.at = d;
        break;
      }
      case '--timeout': {
        const v = need();
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0 || n > 300) throw new UsageError(`--timeout "${v}" must be a number of seconds between 0 and 300`);
        a.timeout = n;
        break;
      }
      case '--offline':
        a.offline = true;
        break;
      case '--graph':
        a.graph = true;
        break;
      case '--correlation-id': {
        const v = need();
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) throw new UsageError(`--correlation-id "${v.slice(0, 60)}" is not a GUID (copy it from the error page's details)`);
        a.correlationId = v.toLowerCase();
        break;
      }
      case '--allow-private':
        a.allowPrivate = true;
        break;
      case '--json':
        a.json = true;
        break;
      case '--verbose':
        a.verbose = true;
        break;
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  if (a.correlationId && !a.graph) throw new UsageError('--correlation-id needs --graph (or paste the sign-in log entry instead)');
  return a;
}

/** --paste NODE=FILE labels the output with its server; a path that exists as typed is always a file. */
function pasteArg(v: string): { file: string; node?: string } {
  const m = /^([^=/\\]{1,253})=(.+)$/.exec(v);
  if (!m || existsSync(v)) return { file: v };
  const bad = checkServerName(m[1]);
  if (bad) throw new UsageError(`--paste ${v}: ${bad} Use --paste NODE=FILE, e.g. --paste ADFS01=adfs01-sslcert.txt.`);
  return { file: m[2], node: normalizeServerName(m[1]) };
}
