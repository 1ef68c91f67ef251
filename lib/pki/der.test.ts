import { describe, expect, it } from 'vitest';
import { DerError, emptyTlv, integerBigInt, readTlv, readTlvInto, timeMs } from './der';

const tlvOf = (tag: number, s: string) => {
  const b = Buffer.concat([Buffer.from([tag, s.length]), Buffer.from(s, 'latin1')]);
  return { b: new Uint8Array(b), t: readTlv(b, 0) };
};
const time = (tag: number, s: string) => {
  const { b, t } = tlvOf(tag, s);
  return timeMs(b, t);
};

describe('timeMs', () => {
  it('reads UTCTime with the RFC 5280 century window', () => {
    expect(new Date(time(0x17, '491231235959Z')).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(new Date(time(0x17, '500101000000Z')).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(new Date(time(0x17, '2501020304Z')).toISOString()).toBe('2025-01-02T03:04:00.000Z');
  });
  it('reads GeneralizedTime, with fractional seconds', () => {
    expect(new Date(time(0x18, '20500101000000Z')).toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(new Date(time(0x18, '20240229120000.25Z')).toISOString()).toBe('2024-02-29T12:00:00.250Z');
  });
  it('gives NaN for malformed or non-UTC times', () => {
    for (const [tag, s] of [
      [0x17, '2501020304+0100'],
      [0x17, '25010203045'],
      [0x18, '2024x229120000Z'],
      [0x18, '20241329120000Z'],
      [0x04, '20240101000000Z'],
    ] as const) {
      expect(time(tag, s), s).toBeNaN();
    }
  });
});

describe('integerBigInt', () => {
  it('reads two’s complement INTEGER contents', () => {
    expect(integerBigInt(Uint8Array.of(0x00, 0xff))).toBe(255n);
    expect(integerBigInt(Uint8Array.of(0xff))).toBe(-1n);
    expect(integerBigInt(Uint8Array.of(0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00))).toBe(1n << 64n);
  });
});

describe('readTlvInto', () => {
  it('fills a reused object exactly as readTlv does', () => {
    const b = Uint8Array.of(0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05);
    const out = emptyTlv();
    expect(readTlvInto(b, 0, b.length, out)).toEqual(readTlv(b, 0));
    expect(readTlvInto(b, 4, b.length, out)).toEqual(readTlv(b, 4));
  });
  it('refuses truncated and indefinite lengths', () => {
    expect(() => readTlvInto(Uint8Array.of(0x30, 0x05, 0x00), 0, 3, emptyTlv())).toThrow(DerError);
    expect(() => readTlvInto(Uint8Array.of(0x30, 0x80, 0x00, 0x00), 0, 4, emptyTlv())).toThrow(/indefinite/);
  });
});
