import { describe, expect, it } from 'vitest';
import { buildClientHello12, CONTENT, Cursor, HANDSHAKE, HandshakeReader, parseCertificateRequest12, parseCertificateRequest13, splitRecords, TlsParseError } from './tls-records';
import { makeCert } from '@/test/pki/gen';

describe('buildClientHello12', () => {
  it('is one handshake record offering TLS 1.2 at most, with SNI', () => {
    const b = buildClientHello12('sts.contoso.test');
    const { records, rest } = splitRecords(b);
    expect(rest.length).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0].type).toBe(CONTENT.handshake);
    const [m] = new HandshakeReader().push(records[0].fragment);
    expect(m.type).toBe(HANDSHAKE.clientHello);
    const c = new Cursor(m.body);
    expect(c.u16('version')).toBe(0x0303);
    c.bytes(32, 'random');
    c.vec8('session');
    c.vec16('suites');
    c.vec8('compression');
    const exts = new Cursor(c.vec16('extensions'));
    const types: number[] = [];
    let sni = '';
    while (exts.left) {
      const t = exts.u16('type');
      const d = exts.vec16('data');
      types.push(t);
      if (t === 0) sni = d.subarray(5).toString('ascii');
    }
    expect(sni).toBe('sts.contoso.test');
    expect(types).not.toContain(0x002b); // no supported_versions: TLS 1.3 cannot be chosen
    expect(buildClientHello12(undefined).includes(Buffer.from('sts.contoso.test'))).toBe(false);
  });
});

describe('record and handshake reassembly', () => {
  it('keeps a partial record for later and joins messages split over records', () => {
    const msg = Buffer.concat([Buffer.from([HANDSHAKE.serverHelloDone, 0, 0, 4]), Buffer.from('abcd')]);
    const rec = (frag: Buffer) => Buffer.concat([Buffer.from([22, 3, 3, frag.length >> 8, frag.length & 255]), frag]);
    const bytes = Buffer.concat([rec(msg.subarray(0, 3)), rec(msg.subarray(3))]);
    const first = splitRecords(bytes.subarray(0, 9));
    expect(first.records).toHaveLength(1);
    expect(first.rest.length).toBe(1);
    const r = new HandshakeReader();
    const all = splitRecords(bytes).records.flatMap((x) => r.push(x.fragment));
    expect(all).toEqual([{ type: HANDSHAKE.serverHelloDone, body: Buffer.from('abcd') }]);
  });

  it('refuses what is not TLS', () => {
    expect(() => splitRecords(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(TlsParseError);
  });
});

describe('CertificateRequest parsing', () => {
  it('reads TLS 1.2 and TLS 1.3 forms, and survives a name that is not a DN', async () => {
    const ca = await makeCert({ subject: 'CN=Contoso Root CA, O=Contoso, C=US', key: 'p256', basicConstraints: { ca: true } });
    const dn = Buffer.from(ca.cert.subject.der);
    const junk = Buffer.from([1, 2, 3]);
    const names = Buffer.concat([Buffer.from([dn.length >> 8, dn.length & 255]), dn, Buffer.from([0, 3]), junk]);
    const v16 = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
    const tls12 = Buffer.concat([Buffer.from([2, 1, 64]), v16(Buffer.from([4, 3, 8, 4])), v16(names)]);
    const r12 = parseCertificateRequest12(tls12, 0x0303);
    expect(r12.certificateTypes).toEqual(['rsa_sign', 'ecdsa_sign']);
    expect(r12.signatureAlgorithms).toEqual(['ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256']);
    expect(r12.authorities.map((a) => a.display)).toEqual(['CN=Contoso Root CA, O=Contoso, C=US', expect.stringMatching(/^\(unreadable name/)]);
    expect(r12.authoritiesBytes).toBe(names.length);
    const ext = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type >> 8, type & 255]), v16(body)]);
    const tls13 = Buffer.concat([Buffer.from([0]), v16(Buffer.concat([ext(13, v16(Buffer.from([4, 3]))), ext(47, v16(names))]))]);
    const r13 = parseCertificateRequest13(tls13);
    expect(r13.signatureAlgorithms).toEqual(['ecdsa_secp256r1_sha256']);
    expect(r13.authorities[0].key).toBe(ca.cert.subject.key);
    expect(() => parseCertificateRequest12(tls12.subarray(0, 10), 0x0303)).toThrow(/truncated/);
  });
});
