// A duplex over the accepted TCP socket that keeps a copy of the bytes the client sends until told to stop, so the
// client's handshake can be read as sent (lib/device/client-flight). Node's TLS server reads through it.
import type net from 'node:net';
import { SocketTap } from '@/lib/net/socket-tap';

export class Recorder extends SocketTap {
  private chunks: Buffer[] = [];
  private size = 0;
  private recording = true;
  /** More than `maxBytes` arrived before the handshake finished: the copy is incomplete. */
  overflow = false;

  constructor(
    inner: net.Socket,
    private readonly maxBytes: number,
  ) {
    super(inner, (b) => this.record(b));
  }

  private record(b: Buffer) {
    if (!this.recording) return;
    if (this.size + b.length > this.maxBytes) {
      this.overflow = true;
      this.stop();
    } else {
      this.chunks.push(b);
      this.size += b.length;
    }
  }

  /** What was recorded so far. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  stop() {
    this.recording = false;
    this.chunks = [];
  }
}
