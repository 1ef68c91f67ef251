import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as d from '@/scripts/bench/crl-der';
import { parseName } from '../name';
import { CrlParseError, normalizeSerialHex, parseCrl } from './parse';
import type { CrlEntryView } from './types';

const src = (name: string) => ({ kind: 'file' as const, name });
const { privateKey: caKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer: d.Signer = { key: caKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' };
const issuerName = d.name(['C', 'US'], ['O', 'Contoso'], ['CN', 'Contoso Issuing CA']);
const otherCaName = d.name(['C', 'US'], ['O', 'Contoso'], ['CN', 'Contoso Partner CA']);
const t0 = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));
const t1 = new Date(Date.UTC(2025, 0, 8, 0, 0, 0));

function copyAll(c: { forEachEntry(cb: (e: CrlEntryView) => void | 'stop'): void }) {
  const out: CrlEntryView[] = [];
  c.forEachEntry((e) => {
    out.push({ ...e });
  });
  return out;
}

describe('parseCrl on CRLs written by openssl ca -gencrl', () => {
  let dir: string;
  let derBytes: Buffer;
  let pemBytes: Buffer;
  let text: string;
  let revokedSerials: string[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'crl-parse-'));
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    writeFileSync(path.join(dir, 'index.txt'), '');
    writeFileSync(path.join(dir, 'crlnumber'), '1000\n');
    writeFileSync(
      path.join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = myca',
        '[myca]',
        `dir = ${dir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir',
        'serial = $dir/serial',
        'crlnumber = $dir/crlnumber',
        'certificate = $dir/ca.pem',
        'private_key = $dir/ca.key',
        'default_md = sha256',
        'default_days = 30',
        'default_crl_days = 7',
        'policy = pol',
        'crl_extensions = crlext',
        '[pol]',
        'commonName = supplied',
        '[crlext]',
        'authorityKeyIdentifier = keyid:always',
        '[req]',
        'distinguished_name = dn',
        '[dn]',
        '[v3ca]',
        'basicConstraints = critical,CA:true',
        'keyUsage = critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier = hash',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'serial'), '0a1b2c3d4e5f60718293a4b5c6d7e8f9\n');
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CRL CA', '-days', '30', '-config', 'ca.cnf', '-extensions', 'v3ca']);
    revokedSerials = [];
    const reasons = ['keyCompromise', 'superseded', 'cessationOfOperation', 'certificateHold'];
    for (let i = 0; i < 6; i++) {
      run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `u${i}.key`, '-out', `u${i}.csr`, '-subj', `/CN=user${i}`, '-config', 'ca.cnf']);
      run(['ca', '-batch', '-config', 'ca.cnf', '-in', `u${i}.csr`, '-out', `u${i}.pem`, '-notext']);
      if (i < 5) {
        const extra = i === 4 ? ['-crl_compromise', '20240102030405Z'] : ['-crl_reason', reasons[i]];
        run(['ca', '-config', 'ca.cnf', '-revoke', `u${i}.pem`, ...extra]);
        revokedSerials.push(run(['x509', '-in', `u${i}.pem`, '-noout', '-serial']).trim().split('=')[1]);
      }
    }
    run(['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem']);
    run(['crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der']);
    derBytes = readFileSync(path.join(dir, 'crl.der'));
    pemBytes = readFileSync(path.join(dir, 'crl.pem'));
    text = run(['crl', '-in', 'crl.der', '-inform', 'DER', '-noout', '-text']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the header, extensions and every entry as openssl does', () => {
    const c = parseCrl(derBytes, src('crl.der'));
    expect(c.format).toBe('der');
    expect(c.version).toBe(2);
    expect(c.bytes).toBe(derBytes.length);
    expect(c.issuer.display).toBe('CN=Test CRL CA');
    expect(c.signatureAlgorithm).toBe('1.2.840.113549.1.1.11');
    expect(c.tbsSignatureAlgorithm).toBe('1.2.840.113549.1.1.11');
    expect(c.crlNumber).toBe(0x1000n);
    const lastUpdate = /Last Update: (.*)/.exec(text)![1];
    const nextUpdate = /Next Update: (.*)/.exec(text)![1];
    expect(c.thisUpdate.getTime()).toBe(new Date(lastUpdate).getTime());
    expect(c.nextUpdate!.getTime()).toBe(new Date(nextUpdate).getTime());
    const ski = execFileSync('openssl', ['x509', '-in', path.join(dir, 'ca.pem'), '-noout', '-ext', 'subjectKeyIdentifier']).toString();
    expect(c.aki?.keyId).toBe(ski.split('\n')[1].trim().replace(/:/g, '').toLowerCase());
    expect(c.entryCount).toBe(5);
    const entries = copyAll(c);
    expect(entries.map((e) => e.serialHex)).toEqual(revokedSerials.map(normalizeSerialHex));
    expect(entries.map((e) => e.reasonCode)).toEqual([1, 4, 5, 6, 1]);
    expect(entries[4].invalidityDate?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(entries[0].invalidityDate).toBeUndefined();
    for (const e of entries) {
      expect(e.certificateIssuerKey).toBeUndefined();
      expect(e.revocationDate.getTime()).not.toBeNaN();
    }
  });

  it('reads the PEM form to the same result, with the tbs inside the decoded DER', () => {
    const pem = parseCrl(pemBytes, src('crl.pem'));
    const der = parseCrl(derBytes, src('crl.der'));
    expect(pem.format).toBe('pem');
    expect(Buffer.from(pem.tbs).equals(Buffer.from(der.tbs))).toBe(true);
    expect(copyAll(pem)).toEqual(copyAll(der));
    // openssl -text output around the block, CRLF line ends and a BOM are all tolerated.
    const messy = Buffer.concat([Buffer.from('\ufeff'), Buffer.from(text), Buffer.from(pemBytes.toString().replace(/\n/g, '\r\n'))]);
    expect(parseCrl(messy, src('messy.pem')).entryCount).toBe(5);
  });

  it('keeps tbs and signature as views of the input, not copies', () => {
    const c = parseCrl(derBytes, src('crl.der'));
    expect(c.tbs.buffer).toBe(derBytes.buffer);
    expect(c.signature.buffer).toBe(derBytes.buffer);
    expect(c.signature.length).toBe(256);
  });

  it('finds serials by bytes, whatever their case or leading zeros', () => {
    const c = parseCrl(derBytes, src('crl.der'));
    const target = revokedSerials[2];
    const found = c.findSerials([`00${target.toUpperCase()}`, 'deadbeef']);
    expect([...found.keys()]).toEqual([normalizeSerialHex(target)]);
    expect(found.get(normalizeSerialHex(target))![0].reasonCode).toBe(5);
  });
});

describe('parseCrl on CRLs with every extension (own DER writer)', () => {
  const uri = 'http://pki.contoso.com/crl/issuing.crl';
  const deltaUri = 'http://pki.contoso.com/crl/issuing+.crl';
  const nextPublish = new Date(Date.UTC(2025, 0, 5, 12, 0, 0));
  const idp = d.seq(
    d.ctx(0, d.ctx(0, d.ctxPrim(6, Buffer.from(uri)), d.ctx(4, issuerName))),
    d.ctxPrim(1, Uint8Array.of(0xff)),
    d.ctxPrim(3, Uint8Array.of(0x07, 0x80 >> 1 | 0x80 >> 2)), // keyCompromise, cACompromise
    d.ctxPrim(4, Uint8Array.of(0xff)),
  );
  const freshest = d.seq(d.seq(d.ctx(0, d.ctx(0, d.ctxPrim(6, Buffer.from(deltaUri)))), d.ctx(2, d.ctx(4, otherCaName))));
  const keyId = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
  const exts = [
    d.extension('2.5.29.35', false, d.seq(d.ctxPrim(0, keyId))),
    d.extension('2.5.29.20', false, d.integer(4242)),
    d.extension('2.5.29.28', true, idp),
    d.extension('2.5.29.46', false, freshest),
    d.extension('1.3.6.1.4.1.311.21.4', false, d.utcTime(nextPublish)),
    d.extension('1.2.3.4.5', true, d.octets(Uint8Array.of(1))),
  ];
  const entries = [
    d.entry({ serialHex: '01', date: t0, reason: 1 }),
    d.entry({ serialHex: '0080', date: t0, certificateIssuer: otherCaName, reason: 4 }),
    d.entry({ serialHex: '81', date: t0 }),
    d.entry({ serialHex: '7f', date: new Date(Date.UTC(2051, 5, 1)), certificateIssuer: issuerName }),
    d.entry({ serialHex: '02', date: t0, extensions: [d.extension('1.2.3.99', true, d.nul())] }),
    d.entry({ serialHex: '03', date: t0, extensions: [d.extension('1.2.3.98', false, d.nul())] }),
  ];
  const bytes = d.crl({ issuer: issuerName, thisUpdate: t0, nextUpdate: t1, signer, entries, extensions: exts });

  it('decodes AKI, CRL number, IDP with all fields, freshest CRL, Next CRL Publish and unknown critical extensions', () => {
    const c = parseCrl(bytes, src('full.crl'));
    expect(c.aki).toEqual({ keyId: keyId.toString('hex') });
    expect(c.crlNumber).toBe(4242n);
    expect(c.deltaCrlIndicator).toBeUndefined();
    expect(c.nextPublish?.toISOString()).toBe(nextPublish.toISOString());
    expect(c.idp).toMatchObject({
      onlyContainsUserCerts: true,
      onlyContainsCACerts: false,
      indirectCRL: true,
      onlyContainsAttributeCerts: false,
      onlySomeReasons: ['keyCompromise', 'cACompromise'],
      fullName: [
        { type: 'uri', value: uri },
        { type: 'dirName', value: 'CN=Contoso Issuing CA, O=Contoso, C=US' },
      ],
    });
    expect(c.idp!.fullNameDirs!.map((n) => n.key)).toEqual([parseName(issuerName).key]);
    expect(c.freshestCrl).toHaveLength(1);
    expect(c.freshestCrl![0].urls).toEqual([deltaUri]);
    expect(c.freshestCrl![0].crlIssuerDirs![0].key).toBe(parseName(otherCaName).key);
    expect(c.extensions.map((e) => [e.oid, e.critical])).toEqual([
      ['2.5.29.35', false],
      ['2.5.29.20', false],
      ['2.5.29.28', true],
      ['2.5.29.46', false],
      ['1.3.6.1.4.1.311.21.4', false],
      ['1.2.3.4.5', true],
    ]);
    expect(c.unknownCriticalExtensions).toEqual(['1.2.3.4.5']);
  });

  it('carries certificateIssuer forward across entries of an indirect CRL (RFC 5280 5.3.3)', () => {
    const c = parseCrl(bytes, src('full.crl'));
    const all = copyAll(c);
    const other = parseName(otherCaName).key;
    const own = parseName(issuerName).key;
    expect(all.map((e) => e.serialRawHex)).toEqual(['01', '0080', '0081', '7f', '02', '03']);
    expect(all.map((e) => [e.serialHex, e.certificateIssuerKey])).toEqual([
      ['01', undefined],
      ['80', other],
      ['81', other],
      ['7f', own],
      ['02', own],
      ['03', own],
    ]);
    expect(all[3].revocationDate.toISOString()).toBe('2051-06-01T00:00:00.000Z');
    expect(all[4].unknownCriticalExtension).toBe('1.2.3.99');
    expect(all[5].unknownCriticalExtension).toBeUndefined();
    const found = c.findSerials(['80']);
    expect(found.get('80')).toEqual([{ serialHex: '80', serialRawHex: '0080', revocationDate: t0, reasonCode: 4, certificateIssuerKey: other }]);
  });

  it('scans once for raw serials and the first unknown critical entry extension', () => {
    const c = parseCrl(bytes, src('full.crl'));
    // ff80 and 80 as raw bytes are negative numbers, not the entries 128 (0080) and 129 (0081).
    const raw = c.scan(['0080', '80', 'ff80', '0081'], { raw: true });
    expect([...raw.found.keys()].sort()).toEqual(['0080', '0081']);
    expect(raw.found.get('0081')![0]).toMatchObject({ serialHex: '81', serialRawHex: '0081' });
    expect(raw.unknownCriticalEntryExtension).toBe('1.2.3.99');
    expect(raw.entries).toBe(6);
    // Normalised, 0080 and 80 are one serial.
    expect([...c.scan(['0080']).found.keys()]).toEqual(['80']);
  });

  it('stops walking when the callback says so, and reuses one view object', () => {
    const c = parseCrl(bytes, src('full.crl'));
    const seen: CrlEntryView[] = [];
    c.forEachEntry((e) => {
      seen.push(e);
      return seen.length === 2 ? 'stop' : undefined;
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });

  it('reads a delta CRL indicator, a version 1 CRL and a CRL without entries or nextUpdate', () => {
    const delta = parseCrl(
      d.crl({ issuer: issuerName, thisUpdate: t0, nextUpdate: t1, signer, extensions: [d.extension('2.5.29.27', true, d.integer(4240)), d.extension('2.5.29.20', false, d.integer(4243))] }),
      src('delta.crl'),
    );
    expect(delta.deltaCrlIndicator).toBe(4240n);
    expect(delta.crlNumber).toBe(4243n);
    expect(delta.unknownCriticalExtensions).toEqual([]);
    expect(delta.entryCount).toBe(0);
    expect(copyAll(delta)).toEqual([]);
    const v1 = parseCrl(d.crl({ version: 1, issuer: issuerName, thisUpdate: t0, signer, entries: [d.entry({ serialHex: '05', date: t0 })] }), src('v1.crl'));
    expect(v1.version).toBe(1);
    expect(v1.nextUpdate).toBeUndefined();
    expect(copyAll(v1).map((e) => e.serialHex)).toEqual(['05']);
  });

  it('walks CRLs far beyond asn1js default limits (25,000 entries)', () => {
    const last = 'c0ffee00c0ffee00c0ffee00c0ffee01';
    const block = d.randomEntriesBlock(25_000, t0, [last]);
    const c = parseCrl(d.crl({ issuer: issuerName, thisUpdate: t0, nextUpdate: t1, signer, entriesBlock: block }), src('big.crl'));
    expect(c.entryCount).toBe(25_001);
    let n = 0;
    let withReason = 0;
    c.forEachEntry((e) => {
      n++;
      if (e.reasonCode !== undefined) withReason++;
    });
    expect(n).toBe(25_001);
    expect(withReason).toBe(12_501);
    expect(c.findSerials([last]).get(last)![0].reasonCode).toBe(1);
  });
});

describe('parseCrl refuses what is not a CRL, with a clear reason', () => {
  const good = d.crl({ issuer: issuerName, thisUpdate: t0, nextUpdate: t1, signer, entries: [d.entry({ serialHex: '01', date: t0 })] });
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = d.certificate({ serialHex: '01', issuer: issuerName, subject: issuerName, notBefore: t0, notAfter: t1, subjectKey: publicKey, signer, ca: true });
  const certPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(cert).toString('base64')}\n-----END CERTIFICATE-----\n`;
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /empty/],
    ['junk text', Buffer.from('hello world'), /neither DER .* nor PEM/],
    ['a DER certificate', cert, /X\.509 certificate/],
    ['a PEM certificate', Buffer.from(certPem), /"CERTIFICATE"/],
    ['a private key', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), /private key/],
    ['a truncated CRL', good.subarray(0, good.length - 10), /truncated|runs past/],
    ['a CRL with trailing bytes', Buffer.concat([good, Buffer.from([0, 0])]), /extra byte/],
    ['a PEM CRL without END', Buffer.from('-----BEGIN X509 CRL-----\nAAAA\n'), /no END line/],
    ['an empty SEQUENCE', Uint8Array.of(0x30, 0x00), /not a CRL/],
  ];
  for (const [what, bytes, msg] of cases) {
    it(`refuses ${what}`, () => {
      let err: unknown;
      try {
        parseCrl(bytes, src(what));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CrlParseError);
      expect((err as Error).message).toMatch(msg);
    });
  }

  it('never fails with anything but CrlParseError on corrupted CRLs', () => {
    const rich = d.crl({
      issuer: issuerName,
      thisUpdate: t0,
      nextUpdate: t1,
      signer,
      entries: [
        d.entry({ serialHex: '01', date: t0, reason: 1, invalidityDate: t0 }),
        d.entry({ serialHex: '02', date: t0, certificateIssuer: otherCaName }),
      ],
      extensions: [
        d.extension('2.5.29.20', false, d.integer(7)),
        d.extension('2.5.29.28', true, d.seq(d.ctx(0, d.ctx(0, d.ctxPrim(6, Buffer.from('http://x/')))), d.ctxPrim(4, Uint8Array.of(0xff)))),
      ],
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(rich.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(rich.length), (edits, cut) => {
        const bytes = Uint8Array.from(rich).subarray(0, cut === 0 ? rich.length : cut);
        for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
        try {
          const c = parseCrl(bytes, src('fuzz.crl'));
          c.forEachEntry((e) => {
            void [e.serialHex, e.revocationDate, e.invalidityDate, e.reasonCode];
          });
          c.scan(['01']);
        } catch (e) {
          if (!(e instanceof CrlParseError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reports a broken entry while walking, as a CrlParseError', () => {
    // An entry whose serial is a BOOLEAN: the length scan accepts it, the walk names the problem.
    const bad = d.crl({ issuer: issuerName, thisUpdate: t0, signer, entries: [d.seq(d.bool(true), d.utcTime(t0))] });
    const c = parseCrl(bad, src('bad-entry.crl'));
    expect(() => c.forEachEntry(() => undefined)).toThrow(/no serial number/);
  });
});

/** openssl prints a negative INTEGER as -magnitude; our form is the DER content bytes (two's complement). */
function opensslSerial(s: string): string {
  if (!s.startsWith('-')) return normalizeSerialHex(s);
  const mag = BigInt(`0x${s.slice(1)}`);
  let bytes = 1;
  while (-(1n << BigInt(bytes * 8 - 1)) > -mag) bytes++;
  return ((1n << BigInt(bytes * 8)) - mag).toString(16).padStart(bytes * 2, '0');
}

describe('parseCrl on the NIST PKITS CRLs', () => {
  const dir = path.resolve(__dirname, '../../../test/fixtures/pkits/crls');
  const files = readdirSync(dir).filter((f) => f.endsWith('.crl'));

  it('has all 173 CRLs', () => expect(files).toHaveLength(173));

  it('parses every one, with the entries, serials, reasons and dates openssl reports', () => {
    // One openssl process for all files keeps this test quick.
    const script = files.map((f) => `echo "@@@ ${f}"; openssl crl -inform DER -noout -text -in "${path.join(dir, f)}"`).join('\n');
    const out = execFileSync('sh', ['-c', script], { maxBuffer: 64 << 20 }).toString();
    const blocks = new Map<string, string>();
    for (const part of out.split('@@@ ').slice(1)) {
      const nl = part.indexOf('\n');
      blocks.set(part.slice(0, nl).trim(), part.slice(nl + 1));
    }
    let entries = 0;
    for (const f of files) {
      const txt = blocks.get(f)!;
      const c = parseCrl(readFileSync(path.join(dir, f)), src(f));
      const got = copyAll(c);
      const serials = [...txt.matchAll(/Serial Number: (-?[0-9A-F]+)/g)].map((m) => opensslSerial(m[1]));
      expect(c.entryCount, f).toBe(serials.length);
      expect(got.map((e) => e.serialHex), f).toEqual(serials);
      const reasons = [...txt.matchAll(/CRL Reason Code:\s*\n\s*(.+)/g)].length;
      expect(got.filter((e) => e.reasonCode !== undefined).length, f).toBe(reasons);
      const last = /Last Update: (.*)/.exec(txt)![1];
      expect(c.thisUpdate.getTime(), f).toBe(new Date(last).getTime());
      const dates = [...txt.matchAll(/Revocation Date: (.*)/g)].map((m) => new Date(m[1]).getTime());
      expect(got.map((e) => e.revocationDate.getTime()), f).toEqual(dates);
      const num = /X509v3 CRL Number: \n\s*(\d+)/.exec(txt);
      if (num) expect(c.crlNumber, f).toBe(BigInt(num[1]));
      expect(c.idp !== undefined, f).toBe(/Issuing Distribution Point/.test(txt));
      expect(c.deltaCrlIndicator !== undefined, f).toBe(/Delta CRL Indicator/.test(txt));
      entries += got.length;
    }
    expect(entries).toBeGreaterThan(0);
  });

  it('reads the PKITS indirect CRL with its certificate issuers', () => {
    const c = parseCrl(readFileSync(path.join(dir, 'indirectCRLCA5CRL.crl')), src('indirectCRLCA5CRL.crl'));
    expect(c.idp?.indirectCRL).toBe(true);
    const keys = new Set(copyAll(c).map((e) => e.certificateIssuerKey));
    expect(keys.size).toBeGreaterThan(1);
    expect([...keys].some((k) => k?.includes('indirectcrl ca6'))).toBe(true);
  });
});
