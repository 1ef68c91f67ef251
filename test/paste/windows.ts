// Test helpers: admin output printed the way Windows prints it, for generated certificates (so the thumbprints
// match the chain a test uploads). Shapes follow the samples in test/fixtures/paste.
import type { GenCert } from '@/test/pki/gen';

const usDate = (d: Date) => {
  const h = d.getUTCHours() % 12 || 12;
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
};

/** One certificate as `certutil -store` prints it. */
export function certutilEntry(c: GenCert, index: number): string {
  const self = c.subject === c.issuerName;
  return [
    `================ Certificate ${index} ================`,
    `Serial Number: ${c.serial}`,
    `Issuer: ${c.issuerName}`,
    ` NotBefore: ${usDate(c.notBefore)}`,
    ` NotAfter: ${usDate(c.notAfter)}`,
    `Subject: ${c.subject}`,
    self ? 'Root Certificate: Subject matches Issuer' : 'Non-root Certificate',
    `Cert Hash(sha1): ${c.cert.sha1.toLowerCase()}`,
    'No key provider information',
    'Cannot find the certificate and private key for decryption.',
    '',
  ].join('\n');
}

/**
 * `certutil [-enterprise] -store <store>` output: the store header, every certificate, the closing line.
 * `command` adds the prompt line (cmd style) before it.
 */
export function certutilStore(store: string, title: string, certs: GenCert[], o: { command?: string; verb?: string } = {}): string {
  const verb = o.verb ?? 'store';
  return [
    ...(o.command ? [`C:\\Windows\\system32>${o.command}`] : []),
    `${store} "${title}"`,
    ...certs.map((c, i) => certutilEntry(c, i)),
    `CertUtil: -${verb} command completed successfully.`,
    '',
  ].join('\n');
}
