// Paste validation shared by the form (before upload) and the server (parseSubmission).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIP } from 'node:net';
import { browserIsIp, checkNodes, checkPasteBox, checkPasted, junkShare, LIMITS, utf8Bytes } from './submission';

const sample = (f: string) => readFileSync(`test/fixtures/paste/${f}`, 'utf8');

describe('utf8Bytes', () => {
  it('counts like the UTF-8 encoder, surrogate pairs and lone surrogates included', () => {
    for (const s of ['', 'abc', 'Zürich', '証明書', 'a😀b', '\ud800x', 'x\udc00', sample('certutil-urlfetch.broken.txt')])
      expect(utf8Bytes(s), JSON.stringify(s.slice(0, 10))).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('junkShare', () => {
  it('is zero for every sample, also with CRLF, tabs and ANSI colour codes', () => {
    for (const f of ['netsh-sslcert.healthy.txt', 'claim-rules.broken.txt', 'trusted-ca.healthy.txt'])
      expect(junkShare(sample(f).replace(/\n/g, '\r\n').replace(/ {4}/g, '\t'))).toBe(0);
    expect(junkShare('\u001b[32mPromptLoginBehavior : Disabled\u001b[0m')).toBe(0);
  });

  it('ignores the NULs of UTF-16 output read as UTF-8, which the parsers undo', () => {
    const utf16 = Buffer.from(sample('msol-federation.broken.txt'), 'utf16le').toString('utf8');
    expect(utf16).toContain('\u0000');
    expect(junkShare(utf16)).toBe(0);
  });

  it('is high for random bytes read as UTF-8 or Latin-1', () => {
    const bytes = randomBytes(64 * 1024);
    expect(junkShare(bytes.toString('utf8'))).toBeGreaterThan(0.3);
    expect(junkShare(bytes.toString('latin1'))).toBeGreaterThan(0.2);
  });
});

describe('checkPasteBox / checkPasted', () => {
  it('accepts every sample, and all of them pasted together in one box', () => {
    const all = ['adfs-auth-provider', 'certutil-urlfetch', 'claim-rules', 'mg-federation', 'msol-federation', 'netsh-sslcert', 'netsh-urlacl', 'trusted-ca', 'verifystore-root']
      .flatMap((k) => [sample(`${k}.broken.txt`), sample(`${k}.healthy.txt`)])
      .join('\r\n\r\n');
    expect(checkPasted([all])).toBeUndefined();
    expect(checkPasted(['', '  ', all])).toBeUndefined();
  });

  it('refuses a box over the per-box limit, naming the box', () => {
    const e = checkPasted(['ok', 'x'.repeat(LIMITS.maxPasteBytes + 1)]);
    expect(e).toMatchObject({ field: 'pasted', reason: 'too-big', box: 1 });
    expect(e!.error).toMatch(/^Paste 2 is 262,145 bytes; the limit is 262,144 bytes \(256 KB\) per paste\./);
    // Multi-byte text counts in bytes, as the server receives it.
    expect(checkPasteBox('é'.repeat(LIMITS.maxPasteBytes / 2 + 1), 0)?.reason).toBe('too-big');
    expect(checkPasteBox('é'.repeat(LIMITS.maxPasteBytes / 2), 0)).toBeUndefined();
  });

  it('refuses 1 MB of text, and boxes that are each fine but too big together', () => {
    const mb = checkPasted(['PromptLoginBehavior : Disabled\n'.repeat(34_000)]);
    expect(mb).toMatchObject({ reason: 'too-big', box: 0 });
    expect(mb!.error).toMatch(/^Paste 1 is 1,054,000 bytes; the limit is 262,144 bytes \(256 KB\) per paste\./);
    const third = 'a'.repeat(Math.floor(LIMITS.maxPastedBytes / 3) + 10);
    const e = checkPasted([third, third, third]);
    expect(e).toMatchObject({ field: 'pasted', reason: 'too-big' });
    expect(e!.box).toBeUndefined();
    expect(e!.error).toContain('in total');
  });

  it('refuses binary junk and private keys, and too many boxes', () => {
    const bin = checkPasted(['fine', randomBytes(4096).toString('utf8')]);
    expect(bin).toMatchObject({ field: 'pasted', reason: 'type', box: 1 });
    expect(bin!.error).toMatch(/^Paste 2 looks like binary data \(\d+% of it/);
    expect(checkPasteBox('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----', 3)).toMatchObject({ reason: 'private-key', box: 3 });
    expect(checkPasted(Array.from({ length: LIMITS.maxPastedBlocks + 1 }, () => 'x'))).toMatchObject({ reason: 'too-many' });
    // A few stray control characters in real text are not binary.
    expect(checkPasteBox(`${sample('netsh-urlacl.healthy.txt')}\u0007\u0008`, 0)).toBeUndefined();
  });
});

describe('address literals: the browser test agrees with node:net isIP (the server test)', () => {
  const samples = [
    '10.0.0.5', '0.0.0.0', '255.255.255.255', '192.0.2.1', '10.0.0.300', '10.1', '0x0a.0.0.1', '010.0.0.1', '1.2.3', '1.2.3.4.5',
    '::1', '::', '2001:db8::1', '[2001:db8::1]', 'fe80::1%eth0', '2001:db8:0:0:0:0:2:1', '2001:db8::2::1', '::ffff:192.0.2.1', '12345::1', 'gggg::1',
    'sts.contoso.com', '', ' ', '1.2.3.4 ',
  ];
  const node = (s: string) => isIP(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s) !== 0;
  it.each(samples)('%j', (s) => {
    // Zone ids (fe80::1%eth0) are accepted by node only; a node address never needs one, so the browser's refusal is the safe side.
    if (s.includes('%')) expect(browserIsIp(s)).toBe(false);
    else expect(browserIsIp(s)).toBe(node(s));
  });
  it('refuses the same node lists with the same message on both sides', () => {
    for (const v of ['10.0.0.300', '2001:db8::2::1', 'bad_host']) {
      expect(checkNodes(v, node)).toBe(checkNodes(v));
      expect(checkNodes(v)).toMatch(/is not an IP address or host name/);
    }
    expect(checkNodes('10.0.0.5 [2001:db8::1] adfs1.contoso.com', node)).toBeUndefined();
  });
});
