// Rules for a diagnosis submission, shared by the browser (checks before upload) and the server (zod schema in
// service.ts). Plain functions without dependencies so the form's bundle stays small.

export const LIMITS = {
  maxFiles: 20,
  /** Same cap as the certificate parser (lib/pki/input.ts MAX_CERT_FILE_BYTES). */
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  /**
   * Pasted command output, in UTF-8 bytes: per box and all boxes together. The outputs CBA Doctor reads are a
   * few KB to a few tens of KB (a whole `certutil -verifystore root` of a well-stocked server stays under 200 KB),
   * and the parsers are linear, so these caps bound the work per report rather than the outputs people paste.
   */
  maxPasteBytes: 256 * 1024,
  maxPastedBytes: 512 * 1024,
  maxPastedBlocks: 12,
  maxNodes: 8,
} as const;

export const ACCEPTED_EXTENSIONS = ['.cer', '.crt', '.pem', '.der', '.p7b', '.p7c'] as const;
/** Containers that hold private keys: refused by name before anything is read. */
export const SECRET_EXTENSIONS = ['.pfx', '.p12', '.key', '.pvk', '.jks', '.keystore', '.ppk'] as const;

export const FIELDS = ['certificates', 'upn', 'federationHost', 'nodes', 'tlsClientPort', 'target', 'cloud', 'pasted', 'pastedNode', 'graph', 'correlationId', 'userCertificate'] as const;
export type Field = (typeof FIELDS)[number];

export type Reason = 'required' | 'too-many' | 'too-big' | 'private-key' | 'pkcs12' | 'invalid' | 'type' | 'rate-limit' | 'busy' | 'bad-request' | 'not-found' | 'unauthorized' | 'forbidden';

export interface FieldError {
  field: Field | null;
  reason: Reason;
  /** A sentence for the user: what is wrong and what to do. */
  error: string;
  /** For `pasted`: which paste box (0-based) the problem is in, when it is in one. */
  box?: number;
}

export const TARGETS = ['auto', 'adfs', 'entra'] as const;
/** The tenant's Microsoft cloud (the form's "Cloud" select, the API's `cloud` field). */
export const CLOUDS = ['public', 'usgov'] as const;

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

/** An exact size: "1,048,577 bytes". */
export function exactBytes(n: number): string {
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}

/** A limit, exact and readable: "1,048,576 bytes (1 MB)". */
export function limitBytes(n: number): string {
  const unit = n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MB` : n % 1024 === 0 ? `${n / 1024} KB` : undefined;
  return unit ? `${exactBytes(n)} (${unit})` : exactBytes(n);
}

/** "N bytes; the limit is M bytes (x MB)": exact figures, so a size just over a limit never reads as equal to it. */
export function sizeOverLimit(n: number, limit: number): string {
  return `${exactBytes(n)}; the limit is ${limitBytes(limit)}`;
}

/**
 * Characters refused in the typed fields: C0 controls, DEL, and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which can make an address display as something other than what it is.
 */
const HIDDEN_CHARS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** The error for a typed value holding such a character (the message never repeats the value). */
export function hiddenCharError(v: string, what: string): string | undefined {
  const m = HIDDEN_CHARS.exec(v);
  if (!m) return undefined;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const kind = m[0].charCodeAt(0) >= 0x202a ? 'a text-direction control character' : 'a control character';
  return `${what} contains ${kind} (${code}) at position ${m.index + 1}. Type it again by hand instead of pasting it.`;
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
      return f('too-big', `${file.name} is ${sizeOverLimit(file.size, LIMITS.maxFileBytes)} per file. Upload single certificates, not a whole store.`);
    if (opts.strictExtensions && !(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext))
      return f('type', `${file.name} is not a certificate file type. Accepted: ${ACCEPTED_EXTENSIONS.join(' ')}.`);
  }
  const total = files.reduce((n, x) => n + x.size, 0);
  if (total > LIMITS.maxTotalBytes) return f('too-big', `The files add up to ${sizeOverLimit(total, LIMITS.maxTotalBytes)} in total.`);
  return undefined;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isHostName(s: string): boolean {
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  if (!h || h.length > 253) return false;
  const labels = h.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Whether `s` is an IP address literal (IPv6 may come in brackets). The server passes node:net's isIP. */
export type IpTest = (s: string) => boolean;

/**
 * The browser's test, with the platform's own URL parser rather than a hand-written one: an IPv6 literal
 * parses inside brackets; an IPv4 literal parses to itself (the parser rewrites shorthand such as 10.1 or
 * 0x0a.0.0.1, which are refused).
 */
export const browserIsIp: IpTest = (s) => {
  const bare = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  try {
    if (bare.includes(':')) return new URL(`http://[${bare}]/`).hostname.length > 2;
    return /^[0-9.]+$/.test(bare) && new URL(`http://${bare}/`).hostname === bare;
  } catch {
    return false;
  }
};

/** Returns an error sentence, or undefined when the value is acceptable. */
export function checkUpn(v: string): string | undefined {
  const hidden = hiddenCharError(v, 'The sign-in address');
  if (hidden) return hidden;
  if (v.length > 256) return 'The sign-in address is too long.';
  const at = v.lastIndexOf('@');
  if (at < 1 || /\s/.test(v)) return 'Type the sign-in address as name@domain (for example alice@contoso.com).';
  if (!isHostName(v.slice(at + 1))) return `"${v.slice(at + 1)}" is not a valid domain name. Type the sign-in address as name@domain.`;
  return undefined;
}

export function checkHost(v: string): string | undefined {
  const hidden = hiddenCharError(v, 'The federation host');
  if (hidden) return hidden;
  if (/^[a-z]+:\/\//i.test(v) || v.includes('/'))
    return 'Type the host name only (for example sts.contoso.com), without https:// or a path.';
  if (!isHostName(v)) return `"${v}" is not a valid host name. Type the AD FS federation service name, for example sts.contoso.com.`;
  return undefined;
}

/** Which uploaded certificate is the user's: a 0-based index, or a SHA-256 thumbprint (colons and spaces allowed). */
export function checkUserCertificate(v: string): string | undefined {
  const t = v.replace(/[\s:]/g, '');
  if (/^\d{1,4}$/.test(t) || /^[0-9a-f]{64}$/i.test(t)) return undefined;
  return 'The user certificate must be given as the 0-based index of an uploaded certificate or as its SHA-256 thumbprint (64 hexadecimal characters).';
}

export function splitNodes(v: string): string[] {
  return v
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function checkNodes(v: string, isIp: IpTest = browserIsIp): string | undefined {
  const hidden = hiddenCharError(v.replace(/[\t\r\n]/g, ' '), 'The node list');
  if (hidden) return hidden;
  const nodes = splitNodes(v);
  if (nodes.length > LIMITS.maxNodes) return `${nodes.length} node addresses were given; at most ${LIMITS.maxNodes} are probed.`;
  const bad = nodes.find((n) => !isIp(n) && !isHostName(n));
  if (bad) return `"${bad}" is not an IP address or host name. List the AD FS or proxy server addresses, separated by commas or spaces.`;
  return undefined;
}

/**
 * The server a paste came from (issue 14): a host name, a single-label (NetBIOS-style) computer name or an IP
 * address. Only these characters reach a report (and no command), so a label can never carry markup or shell syntax.
 */
export function checkServerName(v: string): string | undefined {
  const t = v.trim().replace(/\.$/, '');
  if (!t) return undefined;
  if (t.length <= 63 && LABEL.test(t)) return undefined;
  if (isHostName(t) || browserIsIp(t)) return undefined;
  return `"${v.length > 80 ? `${v.slice(0, 80)}…` : v}" is not a server name. Type the name of the AD FS or proxy server the output came from (for example ADFS01 or adfs01.contoso.com), or leave it empty.`;
}

/** The label as stored: trimmed, without a trailing dot; undefined when empty. */
export function normalizeServerName(v: string | undefined): string | undefined {
  const t = v?.trim().replace(/\.$/, '');
  return t || undefined;
}

export function checkPort(v: string): string | undefined {
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) return 'The TLS client port must be a number from 1 to 65535 (AD FS uses 49443 by default).';
  return undefined;
}

/** UTF-8 size of a string without encoding it (the form checks every keystroke of a box). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Share of characters that console text never holds: control characters other than tab, line breaks, form feed
 * and ESC (colour codes), DEL, C1 controls, and U+FFFD (bytes that were not UTF-8). Text that Windows PowerShell
 * wrote as UTF-16 and that was read as UTF-8 has a NUL after every character; the parsers undo that, so those
 * NULs do not count.
 */
export function junkShare(s: string): number {
  if (!s.length) return 0;
  let nul = 0;
  let junk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) nul++;
    else if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) junk++;
  }
  return (nul / s.length > 0.2 ? junk : junk + nul) / s.length;
}

/** Above this share of junk characters a paste is binary data, not command output (mis-encoded accents stay far below). */
const MAX_JUNK_SHARE = 0.1;

const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Problems of one paste box on its own (the form runs this as the user types or pastes). */
export function checkPasteBox(text: string, box: number): FieldError | undefined {
  const f = (reason: Reason, error: string): FieldError => ({ field: 'pasted', reason, error, box });
  const name = `Paste ${box + 1}`;
  const size = utf8Bytes(text);
  if (size > LIMITS.maxPasteBytes)
    return f('too-big', `${name} is ${sizeOverLimit(size, LIMITS.maxPasteBytes)} per paste. Paste only the output of the listed commands (for a large certificate store, the part that shows your CAs).`);
  if (PRIVATE_KEY_PEM.test(text)) return f('private-key', `${name} holds a private key. Remove it: CBA Doctor never accepts private keys.`);
  const junk = junkShare(text);
  if (text.length >= 16 && junk > MAX_JUNK_SHARE)
    return f('type', `${name} looks like binary data (${Math.round(junk * 100)}% of its characters are control codes or unreadable), not command output. Paste the text the command printed; upload certificates as files instead.`);
  return undefined;
}

/** Every rule for the pasted boxes; the first problem found. */
export function checkPasted(blocks: string[]): FieldError | undefined {
  if (blocks.length > LIMITS.maxPastedBlocks)
    return { field: 'pasted', reason: 'too-many', error: `${blocks.length} pasted texts were sent; at most ${LIMITS.maxPastedBlocks} are accepted. Several outputs can share one paste.` };
  for (let i = 0; i < blocks.length; i++) {
    const e = checkPasteBox(blocks[i], i);
    if (e) return e;
  }
  const total = blocks.reduce((n, b) => n + utf8Bytes(b), 0);
  if (total > LIMITS.maxPastedBytes)
    return { field: 'pasted', reason: 'too-big', error: `The pasted text adds up to ${sizeOverLimit(total, LIMITS.maxPastedBytes)} in total. Paste only the output of the listed commands.` };
  return undefined;
}

export interface TextFields {
  upn?: string;
  federationHost?: string;
  nodes?: string;
  tlsClientPort?: string;
  target?: string;
  cloud?: string;
  /** Live Microsoft Graph lookup asked for ('1', 'on' or 'true'). */
  graph?: string;
  correlationId?: string;
  userCertificate?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const wantsGraph = (v: string | undefined) => !!v && /^(1|on|true)$/i.test(v.trim());

/** Every text-field error at once (the form shows them all); the server reports the first. */
export function checkTextFields(v: TextFields, isIp: IpTest = browserIsIp): FieldError[] {
  const out: FieldError[] = [];
  const add = (field: Field, msg: string | undefined) => msg && out.push({ field, reason: 'invalid', error: msg });
  if (v.upn) add('upn', checkUpn(v.upn));
  if (v.federationHost) add('federationHost', checkHost(v.federationHost));
  if (v.nodes) add('nodes', checkNodes(v.nodes, isIp));
  if (v.tlsClientPort) add('tlsClientPort', checkPort(v.tlsClientPort));
  if (v.userCertificate) add('userCertificate', checkUserCertificate(v.userCertificate));
  if (v.target && !(TARGETS as readonly string[]).includes(v.target)) add('target', `The target must be one of ${TARGETS.join(', ')}.`);
  if (v.cloud && !(CLOUDS as readonly string[]).includes(v.cloud)) add('cloud', `The cloud must be one of ${CLOUDS.join(', ')} (usgov for GCC High and DoD tenants).`);
  if (v.graph && !/^(1|on|true|0|off|false)$/i.test(v.graph.trim())) add('graph', 'graph must be 1 (look the tenant up live) or 0.');
  if (v.correlationId && !GUID.test(v.correlationId.trim())) add('correlationId', 'The correlation ID is a GUID like d79f5bee-5860-4832-928f-3133e22ae912: copy it from the error page\'s details.');
  if (v.correlationId && !wantsGraph(v.graph)) add('correlationId', 'A correlation ID is looked up only with the live Graph lookup (graph=1); otherwise paste the error page\'s details.');
  return out;
}
