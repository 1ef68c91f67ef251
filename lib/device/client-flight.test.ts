import { describe, expect, it } from 'vitest';
import { TlsParseError } from '@/lib/net/tls-records';
import { parseCertificate12, readClientFlight } from './client-flight';

const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const record = (type: number, body: number[]) => [type, 0x03, 0x03, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
const handshake = (type: number, body: number[]) => [type, ...u24(body.length), ...body];
const certificateMsg = (certs: number[][]) => {
  const list = certs.flatMap((c) => [...u24(c.length), ...c]);
  return handshake(11, [...u24(list.length), ...list]);
};

describe('readClientFlight', () => {
  it('reads the certificates in the order sent, across records, and stops at ChangeCipherSpec', () => {
    const hello = handshake(1, [3, 3, ...new Array(34).fill(0)]);
    const cert = certificateMsg([[0x30, 0x01, 0xaa], [0x30, 0x01, 0xbb]]);
    // The Certificate message split over two records, then CCS and an "encrypted" record that must not be read.
    const bytes = Buffer.from([...record(22, hello), ...record(22, cert.slice(0, 5)), ...record(22, cert.slice(5)), ...record(20, [1]), ...record(22, [0xff, 0xff, 0xff, 0xff])]);
    const f = readClientFlight(bytes);
    expect(f).toMatchObject({ certificateMessage: true, complete: true });
    expect(f.certificates.map((c) => c.toString('hex'))).toEqual(['3001aa', '3001bb']);
  });

  it('tells an empty Certificate message (no certificate) from none at all', () => {
    expect(readClientFlight(Buffer.from(record(22, certificateMsg([]))))).toMatchObject({ certificateMessage: true, certificates: [] });
    expect(readClientFlight(Buffer.from(record(22, handshake(1, [3, 3]))))).toMatchObject({ certificateMessage: false, certificates: [] });
  });

  it('refuses a truncated certificate list and bytes that are not TLS', () => {
    expect(() => parseCertificate12(Buffer.from([0, 0, 9, 0, 0, 5, 1]))).toThrow(TlsParseError);
    expect(() => readClientFlight(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(TlsParseError);
  });
});
