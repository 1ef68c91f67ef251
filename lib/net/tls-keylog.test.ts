import { describe, expect, it } from 'vitest';
import { hkdfExpandLabel, serverHandshakeSecret } from './tls-keylog';

describe('hkdfExpandLabel', () => {
  it('derives the RFC 8448 server handshake key and IV', () => {
    // RFC 8448 section 3 (Simple 1-RTT Handshake), "derive write traffic keys for handshake data".
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
    expect(hkdfExpandLabel('sha256', secret, 'key', Buffer.alloc(0), 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(hkdfExpandLabel('sha256', secret, 'iv', Buffer.alloc(0), 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
  });
});

describe('serverHandshakeSecret', () => {
  it('picks the server handshake secret out of NSS key log lines', () => {
    const lines = [
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET 00aa 1111\n',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET 00aa 2222abcd\n',
      'SERVER_TRAFFIC_SECRET_0 00aa 3333\n',
    ];
    expect(serverHandshakeSecret(lines)?.toString('hex')).toBe('2222abcd');
    expect(serverHandshakeSecret(['CLIENT_RANDOM 00 11'])).toBeUndefined();
  });
});
