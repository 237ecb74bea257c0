import clusterKeySlot from 'cluster-key-slot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keySlot, keySlotOfBytes } from './keyslot.js';

/** Bit-by-bit CRC16-XMODEM and Redis' keyHashSlot, written independently as the reference. */
function crc16Reference(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function redisKeyHashSlot(key: Uint8Array): number {
  const s = key.indexOf(0x7b);
  if (s >= 0) {
    const e = key.indexOf(0x7d, s + 1);
    if (e > s + 1) return crc16Reference(key.subarray(s + 1, e)) & 0x3fff;
  }
  return crc16Reference(key) & 0x3fff;
}

describe('keySlot', () => {
  it('matches the CRC16 test vector and known slots', () => {
    expect(crc16Reference(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('123456789')).toBe(0x31c3 & 0x3fff);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1}.name')).toBe(keySlot('user1'));
    expect(keySlot('{user1}.age')).toBe(keySlot('user1'));
  });

  it('hashes {} , {a}b and a{}{b} as Redis does', () => {
    expect(keySlot('{}')).toBe(crc16Reference(Buffer.from('{}')) & 0x3fff);
    expect(keySlot('{a}b')).toBe(keySlot('a'));
    // Redis hashes the whole key when the first {} is empty (cluster-key-slot does not).
    expect(keySlot('a{}{b}')).toBe(crc16Reference(Buffer.from('a{}{b}')) & 0x3fff);
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('agrees with the reference on random binary keys, as bytes and as latin1 strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(8), (bytes, pad) => {
        const key = Buffer.from(bytes);
        const expected = redisKeyHashSlot(key);
        const padded = Buffer.concat([Buffer.alloc(pad, 0x7b), key]);
        expect(keySlotOfBytes(padded, pad, key.length)).toBe(expected);
        expect(keySlot(key.toString('latin1'))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with cluster-key-slot on keys without braces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const key = Buffer.from(bytes.filter((b) => b !== 0x7b && b !== 0x7d));
        expect(keySlotOfBytes(key, 0, key.length)).toBe(clusterKeySlot(key));
      }),
      { numRuns: 1000 },
    );
  });
});
