// A duplex over the accepted TCP socket that keeps a copy of the bytes the client sends until told to stop, so the
// client's handshake can be read as sent (lib/device/client-flight). Node's TLS server reads through it.
import { Duplex } from 'node:stream';
import type net from 'node:net';

export class Recorder extends Duplex {
  private chunks: Buffer[] = [];
  private size = 0;
  private recording = true;
  /** More than `maxBytes` arrived before the handshake finished: the copy is incomplete. */
  overflow = false;

  constructor(
    readonly inner: net.Socket,
    private readonly maxBytes: number,
  ) {
    super();
    inner.on('data', (b: Buffer) => {
      if (this.recording) {
        if (this.size + b.length > this.maxBytes) {
          this.overflow = true;
          this.stop();
        } else {
          this.chunks.push(b);
          this.size += b.length;
        }
      }
      if (!this.push(b)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (e) => this.destroy(e));
    inner.on('close', () => this.destroy());
  }

  /** What was recorded so far. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  stop() {
    this.recording = false;
    this.chunks = [];
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
