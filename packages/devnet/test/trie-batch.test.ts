// The batched trie writes (one hashing pass per block) against @ethereumjs's own put and del, one write at a time:
// the same roots on random tries, and a database the library reads back.

import assert from "node:assert/strict";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { Caches, MerkleStateManager } from "@ethereumjs/statemanager";
import { Account, Address, bytesToHex, hexToBytes } from "@ethereumjs/util";
import { DevnetStateManager } from "../src/l2/state.js";
import { applyTrieWrites, type TrieWrite } from "../src/l2/trie-batch.js";

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, bytes };
}

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

  it("the devnet's state manager gives the library's state roots: accounts, storage set and cleared, code, deletes, reverts", async () => {
    const rnd = random(2026);
    const devnet = new DevnetStateManager();
    // The library's own flush, over the same caches the devnet uses (its flush without caches differs on its own).
    const library = new MerkleStateManager({ caches: new Caches() });
    const addresses = Array.from({ length: 12 }, () => new Address(rnd.bytes(20)));
    const slots = Array.from({ length: 6 }, () => rnd.bytes(32));
    let middle: Uint8Array | undefined;
    for (let block = 0; block < 120; block++) {
      const ops: ((s: MerkleStateManager) => Promise<void>)[] = [];
      const reads = new Map<MerkleStateManager, string[]>([
        [devnet, []],
        [library, []],
      ]);
      for (let i = 0; i < 1 + rnd.int(15); i++) {
        const address = addresses[rnd.int(addresses.length)];
        const roll = rnd.next();
        const nonce = BigInt(rnd.int(5));
        const balance = BigInt(rnd.int(1_000_000));
        const slot = slots[rnd.int(slots.length)];
        const value = rnd.next() < 0.3 ? new Uint8Array(0) : rnd.bytes(1 + rnd.int(32));
        const code = rnd.bytes(1 + rnd.int(100));
        if (roll < 0.35) ops.push((s) => s.putAccount(address, new Account(nonce, balance)));
        else if (roll < 0.7) {
          ops.push(async (s) => {
            if (!(await s.getAccount(address))) await s.putAccount(address, new Account());
            await s.putStorage(address, slot, value);
          });
        } else if (roll < 0.8) ops.push((s) => s.putCode(address, code));
        else if (roll < 0.85) ops.push((s) => s.deleteAccount(address));
        else if (roll < 0.92) ops.push((s) => s.modifyAccountFields(address, { balance }));
        else {
          // Reads (from the caches, or the tries on a miss): what each state manager saw, compared after the block.
          ops.push(async (s) => {
            const account = await s.getAccount(address);
            reads.get(s)?.push(bytesToHex(account?.serialize() ?? new Uint8Array(0)));
            if (account) reads.get(s)?.push(bytesToHex(await s.getStorage(address, slot)));
          });
        }
      }
      // Some blocks undo their second half, as a reverted call frame does.
      const undoFrom = ops.length > 1 && rnd.next() < 0.2 ? Math.floor(ops.length / 2) : -1;
      for (const s of [devnet, library] as MerkleStateManager[]) {
        await s.checkpoint();
        for (const [i, op] of ops.entries()) {
          if (i === undoFrom) await s.checkpoint();
          await op(s);
        }
        if (undoFrom >= 0) await s.revert();
        await s.commit();
      }
      assert.equal(bytesToHex(await devnet.getStateRoot()), bytesToHex(await library.getStateRoot()), `block ${block}`);
      assert.deepEqual(reads.get(devnet), reads.get(library), `block ${block}: reads`);
      if (block === 60) middle = await devnet.getStateRoot();
    }
    for (const address of addresses) {
      assert.deepEqual((await devnet.getAccount(address))?.serialize(), (await library.getAccount(address))?.serialize());
    }
    // Cold reads, straight from the tries, at the latest root and at one from the middle of the history.
    for (const root of [await devnet.getStateRoot(), middle]) {
      const view = devnet.shallowCopy(false);
      const libraryView = library.shallowCopy(false);
      await view.setStateRoot(root as Uint8Array);
      await libraryView.setStateRoot(root as Uint8Array);
      for (const address of addresses) {
        const account = await view.getAccount(address);
        assert.deepEqual(account?.serialize(), (await libraryView.getAccount(address))?.serialize());
        for (const slot of slots) assert.deepEqual(await view.getStorage(address, slot), await libraryView.getStorage(address, slot));
      }
    }
  });
});

describe("DevnetStateManager's decoded accounts", () => {
  it("a read gives a copy: changing it without writing it back changes nothing; a write or a revert is seen at once", async () => {
    const state = new DevnetStateManager();
    const address = new Address(Uint8Array.from({ length: 20 }, (_, i) => i + 1));
    await state.putAccount(address, new Account(1n, 100n));
    const first = await state.getAccount(address);
    assert.ok(first);
    first.balance += 5n;
    first.nonce = 9n;
    assert.equal((await state.getAccount(address))?.balance, 100n);
    assert.equal((await state.getAccount(address))?.nonce, 1n);
    await state.checkpoint();
    await state.putAccount(address, new Account(2n, 50n));
    assert.equal((await state.getAccount(address))?.balance, 50n);
    await state.revert();
    assert.equal((await state.getAccount(address))?.balance, 100n);
    await state.deleteAccount(address);
    assert.equal(await state.getAccount(address), undefined);
  });

  it("an account written is read back as written, also after the writer changes its own object", async () => {
    const state = new DevnetStateManager();
    const address = new Address(Uint8Array.from({ length: 20 }, (_, i) => i + 7));
    const written = new Account(3n, 300n);
    await state.putAccount(address, written);
    written.balance = 1n; // not written back: the state keeps 300
    written.nonce = 99n;
    const read = await state.getAccount(address);
    assert.equal(read?.balance, 300n);
    assert.equal(read?.nonce, 3n);
    assert.deepEqual(read?.serialize(), new Account(3n, 300n).serialize());
    await state.putAccount(address, new Account(4n, 400n));
    assert.equal((await state.getAccount(address))?.balance, 400n);
  });
});
