// Parsing of uploaded certificate files, on files generated the way users produce them.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Body, csr, genKey, makeCrl, makePki, pemBundle, pkcs12, pkcs7, privateKeyFile, tempDir, toPem, type KeyPair, type Pki, type PrivateKeyForm } from '@/test/pki/gen';
import { MAX_CERT_FILE_BYTES, parseCertificateFile } from './input';

let pki: Pki;
let ecKey: KeyPair;
beforeAll(async () => {
  pki = await makePki();
  ecKey = await genKey('p256');
});

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const subjects = (r: ReturnType<typeof parseCertificateFile>) => r.certs.map((c) => c.subject.display);
const shas = (r: ReturnType<typeof parseCertificateFile>) => r.certs.map((c) => c.sha256);

function ok(r: ReturnType<typeof parseCertificateFile>) {
  expect(r.result.problem).toBeUndefined();
  return r;
}

describe('certificates that parse', () => {
  it('DER', () => {
    const r = ok(parseCertificateFile('user.cer', pki.user.der));
    expect(r.result.kind).toBe('der');
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
  });

  it('PEM with one block', () => {
    const r = ok(parseCertificateFile('user.pem', bytes(pki.user.pem)));
    expect(r.result.kind).toBe('pem');
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
  });

  it('PEM bundle with openssl text before and between blocks (x509 -text and pkcs12 bag attributes)', () => {
    const file = pemBundle([pki.user, pki.ca, pki.root], { text: 'openssl', before: 'chain exported for the helpdesk\n' });
    expect(Buffer.from(file).toString()).toMatch(/Signature Algorithm/);
    const r = ok(parseCertificateFile('chain.pem', file));
    expect(shas(r)).toEqual([pki.user, pki.ca, pki.root].map((g) => g.cert.sha256));
    expect(r.result.notes).toEqual([]);
  });

  it('Windows-style bundle: CRLF line ends, BOM, text between blocks', () => {
    const file = pemBundle([pki.user, pki.ca], { text: 'windows', crlf: true, bom: true });
    expect(Buffer.from(file).subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(Buffer.from(file).toString()).toContain('\r\n');
    const r = ok(parseCertificateFile('chain.cer', file));
    expect(subjects(r)).toEqual([pki.user.cert.subject.display, pki.ca.cert.subject.display]);
  });

  it('PEM saved as UTF-16 with a byte order mark (Windows PowerShell Out-File)', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pki.user.pem.replace(/\n/g, '\r\n'), 'utf16le')]);
    expect(shas(ok(parseCertificateFile('user-utf16.cer', new Uint8Array(le))))).toEqual([pki.user.cert.sha256]);
    const be = Buffer.from(le).swap16();
    be[0] = 0xfe;
    be[1] = 0xff;
    expect(shas(ok(parseCertificateFile('user-utf16be.cer', new Uint8Array(be))))).toEqual([pki.user.cert.sha256]);
  });

  it('PEM with a stray control character in the surrounding text', () => {
    const r = ok(parseCertificateFile('user.pem', bytes(`exported\u0000 by tool\n${pki.user.pem}`)));
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
  });

  it('Base-64 without the BEGIN/END lines (a copy of the certificate text)', () => {
    for (const eol of ['\n', '\r\n']) {
      const r = ok(parseCertificateFile('user.txt', bytes(base64Body(pki.user.der, eol) + eol)));
      expect(shas(r)).toEqual([pki.user.cert.sha256]);
    }
    // one long line, with a BOM
    const r = ok(parseCertificateFile('user.txt', bytes(`\uFEFF${Buffer.from(pki.user.der).toString('base64')}`)));
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
  });

  it('PKCS#7 bundle in DER and in PEM', () => {
    const der = ok(parseCertificateFile('chain.p7b', pkcs7([pki.user, pki.ca, pki.root], 'der')));
    expect(der.result.kind).toBe('pkcs7-der');
    expect(new Set(shas(der))).toEqual(new Set([pki.user, pki.ca, pki.root].map((g) => g.cert.sha256)));
    const pem = ok(parseCertificateFile('chain.p7c', pkcs7([pki.user, pki.ca], 'pem')));
    expect(pem.result.kind).toBe('pkcs7-pem');
    expect(new Set(shas(pem))).toEqual(new Set([pki.user, pki.ca].map((g) => g.cert.sha256)));
  });

  it('PKCS#7 in BER with indefinite lengths (streamed signing tools write it)', () => {
    const dir = tempDir();
    try {
      const cert = dir.write('signer.pem', pki.user.pem);
      const key = dir.write('signer.key', pki.user.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const chain = dir.write('chain.pem', pki.ca.pem);
      const msg = dir.write('msg.txt', 'hello');
      const ber = new Uint8Array(
        execFileSync('openssl', ['cms', '-sign', '-stream', '-nodetach', '-binary', '-outform', 'DER', '-in', msg, '-signer', cert, '-inkey', key, '-certfile', chain]),
      );
      expect(ber[1]).toBe(0x80); // indefinite length: not DER
      const r = ok(parseCertificateFile('signed.p7b', ber));
      expect(new Set(shas(r))).toEqual(new Set([pki.user, pki.ca].map((g) => g.cert.sha256)));
    } finally {
      dir.cleanup();
    }
  });

  it('DER followed by stray bytes, and DER certificates concatenated', () => {
    const trailing = new Uint8Array([...pki.user.der, 0x0d, 0x0a]);
    expect(shas(ok(parseCertificateFile('user.cer', trailing)))).toEqual([pki.user.cert.sha256]);
    const two = new Uint8Array([...pki.user.der, ...pki.ca.der]);
    expect(shas(ok(parseCertificateFile('both.cer', two)))).toEqual([pki.user.cert.sha256, pki.ca.cert.sha256]);
  });

  it('keeps the certificates of a bundle when one block is broken, and says so', () => {
    const broken = pki.ca.pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    const r = ok(parseCertificateFile('chain.pem', bytes(pki.user.pem + broken)));
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
    expect(r.result.notes.join(' ')).toMatch(/Base-64/);
  });

  it('skips a CRL block next to certificates with a note', async () => {
    const crl = await makeCrl({ issuer: pki.ca });
    const r = ok(parseCertificateFile('chain.pem', bytes(pki.user.pem + crl.pem)));
    expect(shas(r)).toEqual([pki.user.cert.sha256]);
    expect(r.result.notes.join(' ')).toMatch(/CRL/);
  });
});

describe('files that are refused', () => {
  it('PFX / PKCS#12, with a message that says how to export without the key', () => {
    const r = parseCertificateFile('alice.pfx', pkcs12(pki.user, [pki.ca]));
    expect(r.certs).toEqual([]);
    expect(r.result.problem?.reason).toBe('pkcs12');
    expect(r.result.problem?.message).toMatch(/private key/i);
    expect(r.result.problem?.message).toMatch(/do not export the private key/);
    expect(r.result.problem?.message).toMatch(/openssl pkcs12 .*-nokeys/);
    // Base-64 of the PFX (certutil -encode) is refused the same way.
    const b64 = parseCertificateFile('alice.txt', bytes(base64Body(pkcs12(pki.user))));
    expect(b64.result.problem?.reason).toBe('pkcs12');
  });

  const forms: [PrivateKeyForm, 'rsa' | 'ec'][] = [
    ['pkcs8-pem', 'rsa'],
    ['pkcs8-der', 'rsa'],
    ['pkcs8-encrypted-pem', 'rsa'],
    ['pkcs8-encrypted-der', 'rsa'],
    ['rsa-pem', 'rsa'],
    ['rsa-der', 'rsa'],
    ['ec-pem', 'ec'],
    ['ec-der', 'ec'],
    ['pkcs8-der', 'ec'],
  ];
  it.each(forms)('private key %s (%s)', (form, kind) => {
    const r = parseCertificateFile('key', privateKeyFile(kind === 'rsa' ? pki.user.key : ecKey, form));
    expect(r.certs).toEqual([]);
    expect(r.result.problem?.reason).toBe('private-key');
    expect(r.result.problem?.message).toMatch(/without its private key/);
  });

  it('a PEM file holding the certificate and its key is refused as a whole', () => {
    const file = bytes(pki.user.pem + Buffer.from(privateKeyFile(pki.user.key, 'pkcs8-pem')).toString());
    const r = parseCertificateFile('alice.pem', file);
    expect(r.certs).toEqual([]);
    expect(r.result.problem?.reason).toBe('private-key');
  });

  it('a key block cut short (no END line) is still refused', () => {
    const key = Buffer.from(privateKeyFile(pki.user.key, 'rsa-pem')).toString().replace(/-----END[^\n]*\n$/, '');
    const r = parseCertificateFile('alice.pem', bytes(pki.user.pem + key));
    expect(r.result.problem?.reason).toBe('private-key');
  });

  it('a CRL given as a certificate is explained (DER and PEM)', async () => {
    const crl = await makeCrl({ issuer: pki.ca, revoked: [{ serial: pki.user.serial }] });
    for (const f of [crl.der, bytes(crl.pem)]) {
      const r = parseCertificateFile('issuing.crl', f);
      expect(r.result.problem?.reason).toBe('not-a-certificate');
      expect(r.result.problem?.message).toMatch(/revocation list \(CRL\)/);
      expect(r.result.problem?.message).toMatch(/--crl/);
    }
  });

  it('a certificate request given as a certificate is explained (DER and PEM)', () => {
    for (const form of ['der', 'pem'] as const) {
      const r = parseCertificateFile('alice.csr', csr(ecKey, '/CN=Alice', form));
      expect(r.result.problem?.reason).toBe('not-a-certificate');
      expect(r.result.problem?.message).toMatch(/certificate request \(CSR\)/);
    }
  });

  it('junk, text and truncated files', () => {
    const junk = parseCertificateFile('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]));
    expect(junk.result.problem?.reason).toBe('not-a-certificate');
    expect(junk.result.problem?.message).toMatch(/DER|Base-64/);
    const text = parseCertificateFile('notes.txt', bytes('Hello helpdesk, my certificate does not work.\n'));
    expect(text.result.problem?.reason).toBe('not-a-certificate');
    const cut = parseCertificateFile('user.cer', pki.user.der.subarray(0, 200));
    expect(cut.result.problem?.reason).toBe('not-a-certificate');
    const noEnd = parseCertificateFile('user.pem', bytes(pki.user.pem.replace(/-----END CERTIFICATE-----\n/, '')));
    expect(noEnd.result.problem?.reason).toBe('not-a-certificate');
    expect(noEnd.result.problem?.message).toMatch(/BEGIN\/END/);
    const badB64 = parseCertificateFile('user.pem', bytes(toPem(new Uint8Array(300).fill(7))));
    expect(badB64.result.problem?.reason).toBe('not-a-certificate');
  });

  it('empty and blank files', () => {
    expect(parseCertificateFile('empty.cer', new Uint8Array(0)).result.problem?.reason).toBe('empty');
    expect(parseCertificateFile('blank.cer', bytes(' \r\n\n')).result.problem?.reason).toBe('empty');
  });

  it('files over the size limit, without reading them', () => {
    const big = new Uint8Array(MAX_CERT_FILE_BYTES + 1);
    const r = parseCertificateFile('store.sst', big);
    expect(r.result.problem?.reason).toBe('too-big');
    expect(r.result.problem?.message).toContain(`${(MAX_CERT_FILE_BYTES + 1).toLocaleString('en-US')} bytes; the limit is ${MAX_CERT_FILE_BYTES.toLocaleString('en-US')} bytes`);
    // A smaller limit applies when the caller sets one.
    expect(parseCertificateFile('user.cer', pki.user.der, 100).result.problem?.reason).toBe('too-big');
  });

  it('never echoes file contents in the message', () => {
    const key = privateKeyFile(pki.user.key, 'pkcs8-pem');
    const r = parseCertificateFile('k.pem', key);
    const body = Buffer.from(key).toString().split('\n')[1];
    expect(r.result.problem?.message).not.toContain(body.slice(0, 20));
    expect(JSON.stringify(r.result)).not.toContain(body.slice(0, 20));
  });
});

describe('robustness', () => {
  it('any bytes give either certificates or a reason, never an exception', async () => {
    const fc = await import('fast-check');
    const seeds = [pki.user.der, bytes(pki.user.pem), pkcs7([pki.user, pki.ca]), pkcs12(pki.user)];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat()).map(([s, at, xor, cut]) => {
            const b = new Uint8Array(s.subarray(0, s.length - (cut % 8)));
            if (b.length) b[at % b.length] ^= xor;
            return b;
          }),
        ),
        (b) => {
          const r = parseCertificateFile('f', b);
          expect(r.certs.length > 0 || r.result.problem !== undefined).toBe(true);
          if (r.result.problem) expect(r.certs).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
