import clusterKeySlot from 'cluster-key-slot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keySlot, keySlotOfBytes } from './keyslot.js';

describe('keySlot', () => {
  it('matches the slots Redis Cluster documents', () => {
    expect(keySlot('123456789')).toBe(0x31c3 & 0x3fff);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1}.name')).toBe(keySlot('user1'));
    expect(keySlot('{user1}.age')).toBe(keySlot('user1'));
  });

  it('hashes {} , {a}b and a{}{b} as Redis does', () => {
    expect(keySlot('{}')).toBe(clusterKeySlot(Buffer.from('{}')));
    expect(keySlot('{a}b')).toBe(keySlot('a'));
    expect(keySlot('a{}{b}')).toBe(clusterKeySlot(Buffer.from('a{}{b}')));
    expect(keySlot('a{}{b}')).not.toBe(keySlot('b'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('agrees with cluster-key-slot on random binary keys, for bytes and latin1 strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(8), (bytes, pad) => {
        const key = Buffer.from(bytes);
        const expected = clusterKeySlot(key);
        const padded = Buffer.concat([Buffer.alloc(pad, 0x7b), key]);
        expect(keySlotOfBytes(padded, pad, key.length)).toBe(expected);
        expect(keySlot(key.toString('latin1'))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
