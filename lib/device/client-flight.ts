// What the client sent in a TLS 1.2 handshake, read from the raw bytes it wrote: Node's getPeerCertificate(true)
// completes the chain from the server's own trust store (and can loop on self-signed roots), so it cannot say which
// certificates the device itself sent. In TLS 1.0-1.2 the client's Certificate message travels in clear before its
// ChangeCipherSpec; everything after that is encrypted and not read here.
import { CONTENT, Cursor, HANDSHAKE, HandshakeReader, splitRecords, TlsParseError } from '@/lib/net/tls-records';

export interface ClientFlight {
  /** The client answered a CertificateRequest with a Certificate message (possibly empty). */
  certificateMessage: boolean;
  /** DER certificates in the order sent (the device's own certificate first). */
  certificates: Buffer[];
  /** The ChangeCipherSpec was seen: the clear part of the client's handshake is complete. */
  complete: boolean;
}

function u24(c: Cursor, what: string): number {
  return (c.u8(what) << 16) | c.u16(what);
}

/** RFC 5246 7.4.6 / 7.4.2: certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>. */
export function parseCertificate12(body: Buffer): Buffer[] {
  const c = new Cursor(body);
  const list = new Cursor(c.bytes(u24(c, 'certificate_list length'), 'certificate_list'));
  const out: Buffer[] = [];
  while (list.left) out.push(Buffer.from(list.bytes(u24(list, 'certificate length'), 'certificate')));
  return out;
}

/** Reads the client's first flight (ClientHello ... ChangeCipherSpec) from the bytes it sent. */
export function readClientFlight(clientBytes: Buffer): ClientFlight {
  const { records } = splitRecords(clientBytes);
  const hs = new HandshakeReader(256 * 1024);
  const out: ClientFlight = { certificateMessage: false, certificates: [], complete: false };
  for (const r of records) {
    if (r.type === CONTENT.changeCipherSpec) {
      out.complete = true;
      break;
    }
    if (r.type === CONTENT.alert) break;
    if (r.type !== CONTENT.handshake) throw new TlsParseError(`unexpected TLS record type ${r.type} in the client's handshake`);
    for (const m of hs.push(r.fragment)) {
      if (m.type === HANDSHAKE.certificate) {
        out.certificateMessage = true;
        out.certificates = parseCertificate12(m.body);
      }
    }
  }
  return out;
}
