// The batched trie writes (one hashing pass per block) against @ethereumjs's own put and del, one write at a time:
// the same roots on random tries, and a database the library reads back.

import assert from "node:assert/strict";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { bytesToHex, hexToBytes } from "@ethereumjs/util";
import { applyTrieWrites, type TrieWrite } from "../src/l2/trie-batch.js";
import { random } from "./support/random.js";

/**
 * Random writes over a key space made to share prefixes: short keys from a few byte values (keys that are prefixes of
 * other keys: values in branches), or hashed 32-byte keys as the state tries use; values short enough to be inlined in
 * their parent, and long ones; deletes of present and absent keys; empty values (a delete, to the library).
 *
 * The reference: with hashed keys, the library's own put and del, one write at a time. With short keys, a trie the
 * library builds from the resulting contents by puts alone: its del mishandles a key that is a prefix of another
 * (a value in a branch), which Ethereum's tries, all of whose keys are 32-byte hashes, never have.
 */
async function compareOnRandomWrites(seed: number, useKeyHashing: boolean, rounds: number) {
  const rnd = random(seed);
  const library = new MerklePatriciaTrie({ useKeyHashing });
  const batched = new MerklePatriciaTrie({ useKeyHashing });
  const contents = new Map<string, Uint8Array>();
  const keys: Uint8Array[] = [];
  const newKey = () =>
    useKeyHashing ? rnd.bytes(20) : Uint8Array.from({ length: 1 + rnd.int(4) }, () => [0x00, 0x01, 0x10, 0x11, 0xff][rnd.int(5)]);
  for (let round = 0; round < rounds; round++) {
    const writes: TrieWrite[] = [];
    const count = 1 + rnd.int(round % 10 === 0 ? 60 : 12);
    for (let i = 0; i < count; i++) {
      const roll = rnd.next();
      const key = roll < 0.45 || keys.length === 0 ? newKey() : keys[rnd.int(keys.length)];
      if (roll < 0.45) keys.push(key);
      const value = roll > 0.8 ? null : roll > 0.75 ? new Uint8Array(0) : rnd.bytes(rnd.next() < 0.5 ? 1 + rnd.int(8) : 20 + rnd.int(60));
      writes.push([key, value]);
    }
    for (const [key, value] of writes) {
      if (value === null || value.length === 0) contents.delete(bytesToHex(key));
      else contents.set(bytesToHex(key), value);
    }
    let reference = library;
    if (useKeyHashing) {
      for (const [key, value] of writes) {
        if (value === null || value.length === 0) await library.del(key);
        else await library.put(key, value);
      }
    } else {
      reference = new MerklePatriciaTrie();
      for (const [key, value] of contents) await reference.put(hexToBytes(key as `0x${string}`), value);
    }
    await applyTrieWrites(batched, writes);
    assert.equal(bytesToHex(batched.root()), bytesToHex(reference.root()), `seed ${seed}, round ${round}: roots differ`);
    if (round % 7 === 0 || round === rounds - 1) {
      for (const key of keys) {
        const got = await batched.get(key);
        assert.equal(
          got && bytesToHex(got),
          contents.has(bytesToHex(key)) ? bytesToHex(contents.get(bytesToHex(key)) as Uint8Array) : null,
        );
      }
      assert.equal(await batched.checkRoot(batched.root()), true);
    }
  }
  return { keys, batched };
}

describe("batched trie writes (trie-batch.ts)", () => {
  it("give the library's roots on random tries with short, shared-prefix keys (values in branches, inlined nodes)", async () => {
    for (let seed = 1; seed <= 6; seed++) await compareOnRandomWrites(seed, false, 40);
  });

  it("give the library's roots on random tries with hashed keys, as the state tries use", async () => {
    for (let seed = 100; seed <= 105; seed++) await compareOnRandomWrites(seed, true, 40);
  });

  it("deleting every key gives the empty root; a batch of absent keys changes nothing", async () => {
    const { keys, batched } = await compareOnRandomWrites(7, false, 20);
    const before = bytesToHex(batched.root());
    await applyTrieWrites(batched, [[Uint8Array.of(0x42, 0x42, 0x42, 0x42, 0x42), null]]);
    assert.equal(bytesToHex(batched.root()), before);
    await applyTrieWrites(
      batched,
      keys.map((k): TrieWrite => [k, null]),
    );
    assert.equal(bytesToHex(batched.root()), bytesToHex(batched.EMPTY_TRIE_ROOT));
  });

  it("writes inside a trie checkpoint that is reverted leave nothing behind for later writes", async () => {
    const rnd = random(77);
    const library = new MerklePatriciaTrie({ useKeyHashing: true });
    const batched = new MerklePatriciaTrie({ useKeyHashing: true });
    const keys = Array.from({ length: 40 }, () => rnd.bytes(20));
    const write = (): TrieWrite[] => keys.filter(() => rnd.next() < 0.3).map((k) => [k, rnd.next() < 0.2 ? null : rnd.bytes(40)]);
    for (let round = 0; round < 30; round++) {
      const undone = write();
      batched.checkpoint();
      await applyTrieWrites(batched, undone);
      await batched.revert();
      const kept = write();
      await applyTrieWrites(batched, kept);
      for (const [key, value] of kept) await (value ? library.put(key, value) : library.del(key));
      assert.equal(bytesToHex(batched.root()), bytesToHex(library.root()), `round ${round}`);
    }
    for (const key of keys) {
      const [got, want] = [await batched.get(key), await library.get(key)];
      assert.equal(got && bytesToHex(got), want && bytesToHex(want));
    }
  });
});
