// Runs the real bin/cba-doctor with pasted command output (the bundle is rebuilt by test/global-setup.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contosoPki } from '@/test/checks/contoso-pki';
import { reportSchema } from '@/lib/report/schema';
import { tempDir, type TempDir } from '@/test/pki/gen';
import { SAMPLE_COMMANDS, crlf, sample, withPrompt } from '@/test/paste/variants';

const BIN = path.resolve('bin/cba-doctor');
const FIX = (f: string) => path.resolve('test/fixtures/paste', f);
const KINDS = ['adfs-auth-provider', 'msol-federation', 'mg-federation', 'netsh-urlacl', 'netsh-sslcert', 'certutil-urlfetch', 'trusted-ca', 'claim-rules', 'verifystore-root'];
const CHECK_OF: Record<string, string> = {
  'adfs-auth-provider': 'config.cert-provider',
  'msol-federation': 'config.prompt-login',
  'mg-federation': 'config.prompt-login',
  'netsh-urlacl': 'config.urlacl',
  'netsh-sslcert': 'config.sslcert',
  'certutil-urlfetch': 'config.certutil',
  'trusted-ca': 'config.trusted-cas',
  'claim-rules': 'config.claim-rules',
  'verifystore-root': 'config.server-stores',
};

// The CLI needs a certificate (like the portal): the Contoso chain the paste samples describe.
let certDir: TempDir;
let certArgs: string[] = [];
beforeAll(async () => {
  const pki = await contosoPki();
  certDir = tempDir('cbad-cli-paste-');
  certArgs = ['--cert', certDir.write('user.cer', pki.user.der), '--cert', certDir.write('issuing.cer', pki.ca.der), '--cert', certDir.write('root.cer', pki.root.der)];
});
afterAll(() => certDir.cleanup());

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'diagnose', ...certArgs, ...args, '--offline'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (args: string[]) => {
  const r = run([...args, '--json']);
  return { code: r.code, report: reportSchema.parse(JSON.parse(r.out)) };
};
const statusOf = (report: ReturnType<typeof reportSchema.parse>, id: string) => report.checks.find((c) => c.id === id)?.status;

describe('bin/cba-doctor diagnose --paste', () => {
  it('passes every check on the healthy samples, one --paste per file', () => {
    const { code, report } = json(KINDS.flatMap((k) => ['--paste', FIX(`${k}.healthy.txt`)]));
    // The generated Contoso root has the sample's name but not its thumbprint, which config.server-stores notes.
    for (const k of KINDS) expect([k, statusOf(report, CHECK_OF[k])]).toEqual([k, k === 'verifystore-root' ? 'warn' : 'pass']);
    expect(JSON.stringify(report.checks.find((c) => c.id === 'config.server-stores')!.evidence)).toContain('thumbprint');
    expect(statusOf(report, 'config.paste')).toBe('pass');
    expect(report.input.pasted.map((p) => p.kind)).toEqual(['adfs-auth-provider', 'msol-federation', 'mg-federation', 'netsh-urlacl', 'netsh-sslcert', 'certutil-urlfetch', 'trusted-ca', 'claim-rules', 'claim-rules', 'verifystore']);
    expect(report.input.pasted[0]).toEqual({ kind: 'adfs-auth-provider', lines: 42 });
    expect(code).toBe(0);
  });

  it('fails every check on the broken samples pasted together in one file, and quotes the lines', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-paste-'));
    const all = KINDS.map((k) => (k === 'claim-rules' ? sample('claim-rules.broken.txt') : withPrompt(sample(`${k}.broken.txt`), SAMPLE_COMMANDS[k]))).join('\n');
    const file = path.join(dir, 'output.txt');
    writeFileSync(file, crlf(all));
    const { code, report } = json(['--paste', file]);
    // Missing claim pass-through rules are a warning (sign-in does not depend on them; issue 10).
    for (const k of KINDS) expect([k, statusOf(report, CHECK_OF[k])]).toEqual([k, k === 'claim-rules' ? 'warn' : 'fail']);
    expect(code).toBe(1);

    const text = run(['--paste', file]);
    expect(text.code).toBe(1);
    expect(text.out).toContain('pasted: msol-federation (30 lines)');
    // The terminal rendering wraps long lines; compare with the wrapping undone.
    const flat = text.out.replace(/\s+/g, ' ');
    expect(flat).toContain('output.txt line 62: "PromptLoginBehavior : TranslateToFreshPasswordAuth"');
    expect(flat).toContain('"Ctl Store Name : AdfsTrustedDevices"');
    expect(flat).toContain('"ERROR: Verifying leaf certificate revocation status');
    expect(text.out).toContain('Set-MsolDomainFederationSettings -DomainName contoso.com');
    expect(text.out).toContain('certutil -delstore Root 6100000002a1b9c4e7d25f8b63000000000002');
  });

  it('reports text it does not recognise as info, listing what it reads', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-paste-'));
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'The user says the certificate prompt never appears.\n');
    const { code, report } = json(['--paste', file]);
    const c = report.checks.find((x) => x.id === 'config.paste')!;
    expect(c.status).toBe('info');
    expect(c.summary).toContain('notes.txt lines 1-1');
    expect(c.summary).toContain('netsh http show sslcert');
    expect(report.checks.filter((x) => x.id.startsWith('config.') && x.id !== 'config.paste').every((x) => x.status === 'skip')).toBe(true);
    expect(code).toBe(0);
  });

  it('reads a file saved by Windows PowerShell (UTF-16 with a byte-order mark)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-paste-'));
    const file = path.join(dir, 'providers.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf(`\n\n${sample('adfs-auth-provider.broken.txt')}\n\n`), 'utf16le')]));
    const { code, report } = json(['--paste', file]);
    expect(statusOf(report, 'config.cert-provider')).toBe('fail');
    expect(code).toBe(1);
  });
});
