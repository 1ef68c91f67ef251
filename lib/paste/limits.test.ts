// What lib/paste refuses to read (limits.ts): pastes over the size it reads in bounded time, and Graph JSON
// holding more CA certificates than Entra ID keeps. Refused whole and said so, never read in part.
import { describe, expect, it } from 'vitest';
import { genKey, makeCert } from '@/test/pki/gen';
import { parsePaste, parsePastes } from './detect';
import { MAX_CA_CERTIFICATES, MAX_PASTE_CHARS } from './limits';
import { digestAll } from '@/test/paste/digest';
import { sample } from '@/test/paste/variants';

const fillTo = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

describe('paste size', () => {
  it('reads a paste of exactly the limit, and refuses one character more, whole and with the reason', () => {
    const text = fillTo(`${sample('netsh-urlacl.healthy.txt')}\n`, MAX_PASTE_CHARS);
    const read = parsePaste(text, 'big.txt');
    expect(read.refused).toEqual([]);
    expect(read.blocks.map((b) => b.kind)).toEqual(['netsh-urlacl']);

    const over = parsePastes([{ text: sample('netsh-sslcert.healthy.txt') }, { name: 'big.txt', text: `${text}x` }]);
    expect(over.refused).toEqual([{ pasteIndex: 1, source: 'big.txt', chars: MAX_PASTE_CHARS + 1, reason: expect.stringMatching(/^This text is 1\.25 MB long, more than the 1\.25 MB CBA Doctor reads from one paste, so none of it was read\. /) }]);
    // Nothing of the refused paste is reported as read, unread or empty; the other paste is read as usual.
    expect(over.blocks.map((b) => [b.pasteIndex, b.kind])).toEqual([[0, 'netsh-sslcert']]);
    expect([over.unknown, over.empty]).toEqual([[], []]);
  });

  it('refuses a huge paste without reading it', () => {
    const r = parsePaste('\n'.repeat(64 * 1024 * 1024));
    expect(r.refused.map((x) => x.chars)).toEqual([64 * 1024 * 1024]);
  });

  it('measures a UTF-16 file read as UTF-8 after its NULs are dropped', () => {
    const text = fillTo(`${sample('verifystore-root.healthy.txt')}\n`, Math.floor(MAX_PASTE_CHARS * 0.9));
    const asUtf8 = Buffer.from(`\uFEFF${text}`, 'utf16le').toString('utf8');
    expect(asUtf8.length).toBeGreaterThan(MAX_PASTE_CHARS);
    const r = parsePaste(asUtf8);
    expect(r.refused).toEqual([]);
    expect(digestAll(r)).toEqual(digestAll(parsePaste(text)));
  });
});

describe('CA certificates in Graph JSON', () => {
  const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
  const graph = (certs: string[]) => JSON.stringify({ value: [{ certificateAuthorities: certs.map((c, i) => ({ isRootAuthority: i === 0, certificateRevocationListUrl: `http://pki.contoso.com/${i}.crl`, certificate: c })) }] }, null, 2);

  it(`reads up to ${MAX_CA_CERTIFICATES} distinct certificates, each repeated entry decoded once, and refuses more`, async () => {
    const key = await genKey('p256');
    const certs: string[] = [];
    for (let i = 0; i <= MAX_CA_CERTIFICATES; i++) certs.push(b64((await makeCert({ subject: `CN=Contoso CA ${i}, O=Contoso, C=US`, key, basicConstraints: { ca: true } })).der));

    const most = parsePaste(graph([...certs.slice(0, MAX_CA_CERTIFICATES), ...certs.slice(0, 40)]));
    const b = most.blocks[0];
    if (b?.kind !== 'trusted-ca') throw new Error(`not read: ${JSON.stringify(most.unknown)}`);
    expect(b.data.authorities).toHaveLength(MAX_CA_CERTIFICATES + 40);
    expect(b.data.authorities.map((a) => a.certificate?.subject)).toEqual([...certs.slice(0, MAX_CA_CERTIFICATES), ...certs.slice(0, 40)].map((_, i) => `CN=Contoso CA ${i % MAX_CA_CERTIFICATES}, O=Contoso, C=US`));

    const tooMany = parsePaste(graph(certs));
    expect(tooMany.blocks).toEqual([]);
    expect(tooMany.unknown).toHaveLength(1);
    expect(tooMany.unknown[0].reason).toMatch(new RegExp(`holds more than ${MAX_CA_CERTIFICATES} CA certificates, more than Entra ID keeps, so it was not read`));
  }, 30_000);
});
