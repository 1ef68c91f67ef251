// Rules for a diagnosis submission, shared by the browser (checks before upload) and the server (zod schema in
// service.ts). Plain functions without dependencies so the form's bundle stays small.

export const LIMITS = {
  maxFiles: 20,
  /** Same cap as the certificate parser (lib/pki/input.ts MAX_CERT_FILE_BYTES). */
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  maxPastedChars: 512 * 1024,
  maxPastedBlocks: 12,
  maxNodes: 8,
} as const;

export const ACCEPTED_EXTENSIONS = ['.cer', '.crt', '.pem', '.der', '.p7b', '.p7c'] as const;
/** Containers that hold private keys: refused by name before anything is read. */
export const SECRET_EXTENSIONS = ['.pfx', '.p12', '.key', '.pvk', '.jks', '.keystore', '.ppk'] as const;

export const FIELDS = ['certificates', 'upn', 'federationHost', 'nodes', 'tlsClientPort', 'target', 'pasted'] as const;
export type Field = (typeof FIELDS)[number];

export type Reason = 'required' | 'too-many' | 'too-big' | 'private-key' | 'pkcs12' | 'invalid' | 'type' | 'rate-limit' | 'bad-request' | 'not-found' | 'unauthorized' | 'forbidden';

export interface FieldError {
  field: Field | null;
  reason: Reason;
  /** A sentence for the user: what is wrong and what to do. */
  error: string;
}

export const TARGETS = ['auto', 'adfs', 'entra'] as const;

const EXPORT_HINT = 'Export the certificate without its private key (Certificates console: All Tasks > Export > "No, do not export the private key", as DER or Base-64 .cer).';

function extension(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i).toLowerCase();
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export interface FileInfo {
  name: string;
  size: number;
}

/** Checks what can be known without reading the files: count, sizes and names. */
export function checkFileList(files: FileInfo[], opts: { strictExtensions: boolean }): FieldError | undefined {
  const f = (reason: Reason, error: string): FieldError => ({ field: 'certificates', reason, error });
  if (files.length === 0) return f('required', 'Add at least one certificate file: the user certificate, and ideally its CA certificates.');
  if (files.length > LIMITS.maxFiles) return f('too-many', `${files.length} files were given; at most ${LIMITS.maxFiles} are accepted. Upload the user certificate and the CA certificates of its chain.`);
  for (const file of files) {
    const ext = extension(file.name);
    if ((SECRET_EXTENSIONS as readonly string[]).includes(ext))
      return f(ext === '.pfx' || ext === '.p12' ? 'pkcs12' : 'private-key', `${file.name} is a file type that holds a private key, which CBA Doctor never accepts. ${EXPORT_HINT}`);
    if (file.size === 0) return f('invalid', `${file.name} is empty. Export the certificate again.`);
    if (file.size > LIMITS.maxFileBytes)
      return f('too-big', `${file.name} is ${formatBytes(file.size)}; each file may be at most ${formatBytes(LIMITS.maxFileBytes)}. Upload single certificates, not a whole store.`);
    if (opts.strictExtensions && !(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext))
      return f('type', `${file.name} is not a certificate file type. Accepted: ${ACCEPTED_EXTENSIONS.join(' ')}.`);
  }
  const total = files.reduce((n, x) => n + x.size, 0);
  if (total > LIMITS.maxTotalBytes) return f('too-big', `The files add up to ${formatBytes(total)}; the limit is ${formatBytes(LIMITS.maxTotalBytes)} in total.`);
  return undefined;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isHostName(s: string): boolean {
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  if (!h || h.length > 253) return false;
  const labels = h.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

export function isIPv4(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255 && (x === '0' || !x.startsWith('0')));
}

export function isIPv6(s: string): boolean {
  const t = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  if (!/^[0-9a-f:.]+$/i.test(t) || !t.includes(':')) return false;
  const dbl = t.split('::');
  if (dbl.length > 2) return false;
  const parts = dbl.flatMap((x) => (x ? x.split(':') : []));
  const v4tail = parts.length && parts[parts.length - 1].includes('.');
  if (v4tail && !isIPv4(parts[parts.length - 1])) return false;
  const groups = parts.length + (v4tail ? 1 : 0);
  if (!parts.slice(0, v4tail ? -1 : undefined).every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return dbl.length === 2 ? groups <= 7 : groups === 8;
}

/** Returns an error sentence, or undefined when the value is acceptable. */
export function checkUpn(v: string): string | undefined {
  if (v.length > 256) return 'The sign-in address is too long.';
  const at = v.lastIndexOf('@');
  if (at < 1 || /\s/.test(v)) return 'Type the sign-in address as name@domain (for example alice@contoso.com).';
  if (!isHostName(v.slice(at + 1))) return `"${v.slice(at + 1)}" is not a valid domain name. Type the sign-in address as name@domain.`;
  return undefined;
}

export function checkHost(v: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(v) || v.includes('/'))
    return 'Type the host name only (for example sts.contoso.com), without https:// or a path.';
  if (!isHostName(v)) return `"${v}" is not a valid host name. Type the AD FS federation service name, for example sts.contoso.com.`;
  return undefined;
}

export function splitNodes(v: string): string[] {
  return v
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function checkNodes(v: string): string | undefined {
  const nodes = splitNodes(v);
  if (nodes.length > LIMITS.maxNodes) return `${nodes.length} node addresses were given; at most ${LIMITS.maxNodes} are probed.`;
  const bad = nodes.find((n) => !isIPv4(n) && !isIPv6(n) && !isHostName(n));
  if (bad) return `"${bad}" is not an IP address or host name. List the AD FS or proxy server addresses, separated by commas or spaces.`;
  return undefined;
}

export function checkPort(v: string): string | undefined {
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) return 'The TLS client port must be a number from 1 to 65535 (AD FS uses 49443 by default).';
  return undefined;
}

export function checkPasted(blocks: string[]): FieldError | undefined {
  const total = blocks.reduce((n, b) => n + b.length, 0);
  if (blocks.length > LIMITS.maxPastedBlocks)
    return { field: 'pasted', reason: 'too-many', error: `At most ${LIMITS.maxPastedBlocks} pasted outputs are accepted.` };
  if (total > LIMITS.maxPastedChars)
    return { field: 'pasted', reason: 'too-big', error: `The pasted text is ${formatBytes(total)}; the limit is ${formatBytes(LIMITS.maxPastedChars)}. Paste only the output of the listed commands.` };
  if (blocks.some((b) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(b)))
    return { field: 'pasted', reason: 'private-key', error: 'The pasted text holds a private key. Remove it: CBA Doctor never accepts private keys.' };
  return undefined;
}

export interface TextFields {
  upn?: string;
  federationHost?: string;
  nodes?: string;
  tlsClientPort?: string;
  target?: string;
}

/** Every text-field error at once (the form shows them all); the server reports the first. */
export function checkTextFields(v: TextFields): FieldError[] {
  const out: FieldError[] = [];
  const add = (field: Field, msg: string | undefined) => msg && out.push({ field, reason: 'invalid', error: msg });
  if (v.upn) add('upn', checkUpn(v.upn));
  if (v.federationHost) add('federationHost', checkHost(v.federationHost));
  if (v.nodes) add('nodes', checkNodes(v.nodes));
  if (v.tlsClientPort) add('tlsClientPort', checkPort(v.tlsClientPort));
  if (v.target && !(TARGETS as readonly string[]).includes(v.target)) add('target', `The target must be one of ${TARGETS.join(', ')}.`);
  return out;
}
