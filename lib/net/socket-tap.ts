// A duplex over a TCP socket that hands every byte read from the peer to `onData` before passing it on, so Node's TLS
// can read through it while the caller keeps a copy of the handshake exactly as it travelled. Used by the
// CertificateRequest capture (the server's flight, lib/net/tls-certreq.ts) and the certauth listener (the client's
// flight, lib/device/recorder.ts).
import { Duplex } from 'node:stream';
import type net from 'node:net';

export class SocketTap extends Duplex {
  constructor(
    readonly inner: net.Socket,
    onData: (b: Buffer) => void,
  ) {
    super();
    inner.on('data', (b: Buffer) => {
      onData(b);
      if (!this.push(b)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (e) => this.destroy(e));
    inner.on('close', () => this.destroy());
  }
  override _read() {
    this.inner.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void) {
    this.inner.write(chunk, cb);
  }
  override _final(cb: () => void) {
    this.inner.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (e: Error | null) => void) {
    this.inner.destroy();
    cb(err);
  }
}
