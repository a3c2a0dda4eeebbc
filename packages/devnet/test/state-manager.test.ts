// DevnetStateManager against a model of the state: plain maps of accounts and their storage, copied at each checkpoint,
// whose state root is built from scratch with fresh tries. The library is no reference here: with its storage writes
// kept in the cache until the flush (state.ts), it and the devnet differ where the library's own result depends on
// whether it had cached a trie object.

import assert from "node:assert/strict";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { Account, Address, bytesToHex, hexToBytes, KECCAK256_NULL, unpadBytes } from "@ethereumjs/util";
import { keccak256 } from "ethereum-cryptography/keccak.js";
import { DevnetStateManager } from "../src/l2/state.js";
import { random } from "./support/random.js";

interface ModelAccount {
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
  /** Slot (hex) to its value, without leading zeros; a slot set to zero is absent. */
  storage: Map<string, Uint8Array>;
}
type Model = Map<string, ModelAccount>;

const copyOf = (model: Model): Model => new Map([...model].map(([a, acc]) => [a, { ...acc, storage: new Map(acc.storage) }]));
const emptyAccount = (): ModelAccount => ({ nonce: 0n, balance: 0n, codeHash: KECCAK256_NULL, storage: new Map() });

/** The accounts as the state trie holds them (storage roots included), and the state root, from fresh tries. */
async function modelTries(model: Model): Promise<{ root: string; accounts: Map<string, string> }> {
  const stateTrie = new MerklePatriciaTrie({ useKeyHashing: true });
  const accounts = new Map<string, string>();
  for (const [address, a] of model) {
    const storageTrie = new MerklePatriciaTrie({ useKeyHashing: true });
    for (const [slot, value] of a.storage) await storageTrie.put(hexToBytes(slot as `0x${string}`), RLP.encode(value));
    const rlp = new Account(a.nonce, a.balance, storageTrie.root(), a.codeHash).serialize();
    accounts.set(address, bytesToHex(rlp));
    await stateTrie.put(hexToBytes(address as `0x${string}`), rlp);
  }
  return { root: bytesToHex(stateTrie.root()), accounts };
}

/** Every account and slot of `model`, read from `state`: the same values, storage roots included. */
async function assertSameState(state: DevnetStateManager, model: Model, addresses: Address[], slots: Uint8Array[], at: string) {
  const { root } = await modelTries(model);
  assert.equal(bytesToHex(await state.getStateRoot()), root, `${at}: state root`);
  await assertSameReads(state, model, addresses, slots, at);
}

/** Every account and slot of `model`, read from `state` (without flushing it). */
async function assertSameReads(state: DevnetStateManager, model: Model, addresses: Address[], slots: Uint8Array[], at: string) {
  const { accounts } = await modelTries(model);
  for (const address of addresses) {
    const key = address.toString();
    const got = await state.getAccount(address);
    assert.equal(got && bytesToHex(got.serialize()), accounts.get(key), `${at}: account ${key}`);
    for (const slot of slots) {
      const want = model.get(key)?.storage.get(bytesToHex(slot)) ?? new Uint8Array(0);
      assert.equal(bytesToHex(await state.getStorage(address, slot)), bytesToHex(want), `${at}: ${key} slot ${bytesToHex(slot)}`);
    }
  }
}

describe("DevnetStateManager against a model of the state", () => {
  it("random blocks of account, storage and code writes, deletes, clears and nested checkpoints give the model's roots and reads", async () => {
    for (const seed of [2026, 7, 31337]) {
      const rnd = random(seed);
      const state = new DevnetStateManager();
      // A copy that follows the state as the VM that runs eth_call does: moved to each new root, read inside a
      // checkpoint that is reverted (with writes of its own, undone). Its reads are remembered across the reverts and
      // carried along the flushes' transitions, so it checks those against the model too.
      const view = state.shallowCopy(false);
      const addresses = Array.from({ length: 10 }, () => new Address(rnd.bytes(20)));
      const slots = Array.from({ length: 6 }, () => rnd.bytes(32));
      /** The model at each open checkpoint; the last is the current state. */
      const stack: Model[] = [new Map()];
      const model = () => stack[stack.length - 1];
      /** Closes the innermost checkpoint: its changes kept (commit) or undone (revert). */
      const close = async (keep: boolean) => {
        const top = stack.pop() as Model;
        if (keep) {
          await state.commit();
          stack[stack.length - 1] = top;
        } else await state.revert();
      };
      const reads: string[] = [];
      let middle: { root: Uint8Array; model: Model } | undefined;

      const value = (): Uint8Array => {
        const roll = rnd.next();
        if (roll < 0.25) return new Uint8Array(0);
        if (roll < 0.35) return new Uint8Array(32); // zero, with leading zeros: a delete
        if (roll < 0.45) return Uint8Array.of(0, 0, ...rnd.bytes(1 + rnd.int(30))); // leading zeros, stored without them
        return rnd.bytes(1 + rnd.int(32));
      };
      const ensureAccount = async (address: Address) => {
        if (model().has(address.toString())) return;
        await state.putAccount(address, new Account());
        model().set(address.toString(), emptyAccount());
      };

      for (let block = 0; block < 80; block++) {
        const at = `seed ${seed}, block ${block}`;
        await state.checkpoint();
        stack.push(copyOf(model()));
        const blockDepth = stack.length;
        for (let i = 0; i < 1 + rnd.int(20); i++) {
          const address = addresses[rnd.int(addresses.length)];
          const key = address.toString();
          const slot = slots[rnd.int(slots.length)];
          const roll = rnd.next();
          if (roll < 0.2) {
            const [nonce, balance] = [BigInt(rnd.int(5)), BigInt(rnd.int(1_000_000))];
            const existing = model().get(key);
            if (!existing) {
              await state.putAccount(address, new Account(nonce, balance));
              model().set(key, { ...emptyAccount(), nonce, balance });
            } else if (rnd.next() < 0.5) {
              await state.modifyAccountFields(address, { nonce, balance });
              Object.assign(existing, { nonce, balance });
            } else {
              // As the EVM writes an account: the object it read, changed, written back.
              const account = await state.getAccount(address);
              assert.ok(account, `${at}: ${key} exists`);
              account.balance = balance;
              await state.putAccount(address, account);
              existing.balance = balance;
              // The caller's object stays its own: changed after the write, it changes nothing written.
              account.nonce += 1000n;
              account.balance += 1n;
            }
          } else if (roll < 0.55) {
            await ensureAccount(address);
            const v = value();
            await state.putStorage(address, slot, v);
            const stored = unpadBytes(v);
            const storage = model().get(key)?.storage;
            if (stored.length === 0) storage?.delete(bytesToHex(slot));
            else storage?.set(bytesToHex(slot), stored);
          } else if (roll < 0.62) {
            const code = rnd.bytes(1 + rnd.int(60));
            await state.putCode(address, code);
            const account = model().get(key) ?? emptyAccount();
            model().set(key, { ...account, codeHash: keccak256(code) });
          } else if (roll < 0.69) {
            await state.deleteAccount(address);
            model().delete(key);
          } else if (roll < 0.74) {
            // What a CREATE does to its new address.
            await state.clearStorage(address);
            model().set(key, { ...(model().get(key) ?? emptyAccount()), storage: new Map() });
          } else if (roll < 0.86) {
            const account = await state.getAccount(address);
            const want = model().get(key);
            // The storage root is the one of the last flush until the block's end: compared after it.
            assert.equal(account?.nonce, want?.nonce, `${at}: nonce of ${key}`);
            assert.equal(account?.balance, want?.balance, `${at}: balance of ${key}`);
            assert.equal(account && bytesToHex(account.codeHash), want && bytesToHex(want.codeHash), `${at}: code of ${key}`);
            const slotValue = bytesToHex(await state.getStorage(address, slot));
            assert.equal(slotValue, bytesToHex(want?.storage.get(bytesToHex(slot)) ?? new Uint8Array(0)), `${at}: ${key} slot`);
            reads.push(slotValue);
          } else if (roll < 0.94) {
            await state.checkpoint();
            stack.push(copyOf(model()));
          } else if (stack.length > blockDepth) await close(rnd.next() < 0.5);
        }
        while (stack.length > blockDepth) await close(false);
        // Most blocks are kept; some are undone whole, as a call's view is.
        await close(rnd.next() >= 0.15);
        await assertSameState(state, model(), addresses, slots, at);
        if (block === 40) middle = { root: await state.getStateRoot(), model: copyOf(model()) };

        // Now and then the view goes back to the middle of the history (a way the transitions do not record) first.
        if (middle && rnd.next() < 0.1) {
          await view.setStateRoot(middle.root);
          await assertSameReads(view, middle.model, addresses, slots, `${at}, the view back at block 40`);
        }
        await view.setStateRoot(await state.getStateRoot());
        await view.checkpoint();
        await assertSameReads(view, model(), addresses, slots, `${at}, the view`);
        for (let i = 0; i < rnd.int(4); i++) {
          const address = addresses[rnd.int(addresses.length)];
          if (rnd.next() < 0.5) await view.putAccount(address, new Account(9n, 9n));
          else if (model().has(address.toString())) await view.putStorage(address, slots[rnd.int(slots.length)], value());
        }
        await view.revert();
      }
      assert.ok(
        reads.some((r) => r !== "0x"),
        "some reads found values",
      );

      // Cold reads, straight from the tries, at the latest root and at one from the middle of the history.
      for (const [root, at] of [
        [await state.getStateRoot(), model()],
        [middle?.root, middle?.model],
      ] as [Uint8Array, Model][]) {
        const view = state.shallowCopy(false);
        await view.setStateRoot(root);
        await assertSameState(view, at, addresses, slots, `seed ${seed}, a view at ${bytesToHex(root)}`);
      }
    }
  });

  it("a reverted clear gives back the slots written before it and not yet in the trie", async () => {
    const state = new DevnetStateManager();
    const address = new Address(Uint8Array.from({ length: 20 }, (_, i) => i + 3));
    const [a, b] = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    await state.putAccount(address, new Account());
    await state.putStorage(address, a, Uint8Array.of(7));
    await state.getStateRoot();
    await state.checkpoint();
    await state.putStorage(address, b, Uint8Array.of(8)); // in the cache only
    await state.checkpoint();
    await state.clearStorage(address);
    assert.deepEqual(await state.getStorage(address, a), new Uint8Array(0));
    assert.deepEqual(await state.getStorage(address, b), new Uint8Array(0));
    await state.revert();
    assert.deepEqual(await state.getStorage(address, a), Uint8Array.of(7));
    assert.deepEqual(await state.getStorage(address, b), Uint8Array.of(8));
    await state.commit();
    const model: Model = new Map([
      [
        address.toString(),
        {
          ...emptyAccount(),
          storage: new Map([
            [bytesToHex(a), Uint8Array.of(7)],
            [bytesToHex(b), Uint8Array.of(8)],
          ]),
        },
      ],
    ]);
    await assertSameState(state, model, [address], [a, b], "after the revert");
  });

  it("an account deleted and made again has empty storage, to reads and to the next root", async () => {
    const state = new DevnetStateManager();
    const address = new Address(Uint8Array.from({ length: 20 }, (_, i) => 40 - i));
    const [a, b] = [new Uint8Array(32).fill(3), new Uint8Array(32).fill(4)];
    await state.putAccount(address, new Account(1n, 5n));
    await state.putStorage(address, a, Uint8Array.of(1));
    await state.putStorage(address, b, Uint8Array.of(2));
    await state.getStateRoot();
    assert.deepEqual(await state.getStorage(address, a), Uint8Array.of(1)); // its trie object is now cached
    await state.deleteAccount(address);
    await state.getStateRoot();
    await state.putAccount(address, new Account(0n, 9n));
    await state.putStorage(address, b, Uint8Array.of(3));
    assert.deepEqual(await state.getStorage(address, a), new Uint8Array(0));
    const model: Model = new Map([
      [address.toString(), { ...emptyAccount(), balance: 9n, storage: new Map([[bytesToHex(b), Uint8Array.of(3)]]) }],
    ]);
    await assertSameState(state, model, [address], [a, b], "made again");
  });

  it("past its bound on kept storage trie objects, an account made again still reads empty storage", async () => {
    const state = new DevnetStateManager();
    const slot = new Uint8Array(32).fill(5);
    const address = new Address(new Uint8Array(20).fill(0xaa));
    await state.putAccount(address, new Account());
    await state.putStorage(address, slot, Uint8Array.of(1));
    await state.getStateRoot(); // its trie object made (the library keeps one too)
    // More contracts than the devnet keeps trie objects for (1,024): its own are dropped, the library's are not.
    for (let i = 0; i < 1100; i++) {
      const other = new Address(Uint8Array.from({ length: 20 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 0xff : 0x11)));
      await state.putAccount(other, new Account());
      await state.putStorage(other, slot, Uint8Array.of(2));
    }
    await state.getStateRoot();
    await state.deleteAccount(address);
    await state.getStateRoot();
    await state.putAccount(address, new Account());
    assert.deepEqual(await state.getStorage(address, slot), new Uint8Array(0));
  });

  it("a CREATE's clear and reads of an address without storage make no storage trie object, and give the model's state", async () => {
    const state = new DevnetStateManager();
    const made: string[] = [];
    const trie = (state as unknown as { _trie: MerklePatriciaTrie })._trie;
    const shallowCopy = trie.shallowCopy.bind(trie);
    trie.shallowCopy = (...args: Parameters<MerklePatriciaTrie["shallowCopy"]>) => {
      made.push(new Error().stack ?? "");
      return shallowCopy(...args);
    };
    const [missing, funded, used] = [1, 2, 3].map((n) => new Address(new Uint8Array(20).fill(n)));
    const slot = new Uint8Array(32).fill(7);
    await state.putAccount(funded, new Account(0n, 5n));
    await state.putAccount(used, new Account(1n, 0n));
    await state.putStorage(used, slot, Uint8Array.of(4));
    await state.getStateRoot(); // `used` has a storage root now (and its trie object)
    made.length = 0;
    // What a CREATE does at a new address (missing: the library makes the account; funded: sent value before).
    await state.checkpoint();
    for (const address of [missing, funded]) {
      await state.clearStorage(address);
      assert.deepEqual(await state.getStorage(address, slot), new Uint8Array(0));
    }
    assert.deepEqual(made, [], "no storage trie object for storage that is empty");
    await state.putStorage(missing, slot, Uint8Array.of(9)); // the constructor's SSTORE
    await state.clearStorage(used); // storage in the trie: the library's way
    await state.commit();
    const model: Model = new Map([
      [missing.toString(), { ...emptyAccount(), storage: new Map([[bytesToHex(slot), Uint8Array.of(9)]]) }],
      [funded.toString(), { ...emptyAccount(), balance: 5n }],
      [used.toString(), { ...emptyAccount(), nonce: 1n }],
    ]);
    await assertSameState(state, model, [missing, funded, used], [slot], "after the clears");
    // A clear undone by a revert leaves nothing behind: the missing account is missing again.
    const other = new Address(new Uint8Array(20).fill(4));
    await state.checkpoint();
    await state.clearStorage(other);
    await state.revert();
    assert.equal(await state.getAccount(other), undefined);
    await assertSameState(state, model, [missing, funded, used, other], [slot], "after a reverted clear");
  });

  it("refuses what the library refuses, with its words, and writes nothing", async () => {
    const state = new DevnetStateManager();
    const address = new Address(new Uint8Array(20).fill(9));
    const root = bytesToHex(await state.getStateRoot());
    await assert.rejects(state.putStorage(address, new Uint8Array(32), Uint8Array.of(1)), /non-existing account/);
    await state.putAccount(address, new Account());
    const withAccount = bytesToHex(await state.getStateRoot());
    assert.notEqual(withAccount, root);
    await assert.rejects(state.putStorage(address, new Uint8Array(31), Uint8Array.of(1)), /must be 32 bytes/);
    await assert.rejects(state.putStorage(address, new Uint8Array(32), new Uint8Array(33)), /cannot be longer than 32 bytes/);
    assert.equal(bytesToHex(await state.getStateRoot()), withAccount);
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

  it("an account written many times in a block is encoded once, when the flush writes it to the trie", async () => {
    const state = new DevnetStateManager();
    const address = new Address(Uint8Array.from({ length: 20 }, (_, i) => i + 9));
    const serialize = Account.prototype.serialize;
    let encoded = 0;
    Account.prototype.serialize = function (this: Account) {
      encoded++;
      return serialize.call(this);
    };
    try {
      await state.checkpoint();
      for (let n = 1n; n <= 5n; n++) {
        const account = (await state.getAccount(address)) ?? new Account();
        account.nonce = n;
        account.balance += 10n;
        await state.putAccount(address, account);
      }
      assert.equal(encoded, 0, "no encoding before the flush");
      await state.commit(); // the block's checkpoint: the flush
      assert.equal(encoded, 1, "one encoding, for the trie");
      const root = await state.getStateRoot();
      assert.equal(encoded, 1);
      const trie = new MerklePatriciaTrie({ useKeyHashing: true });
      await trie.put(address.bytes, serialize.call(new Account(5n, 50n)));
      assert.equal(bytesToHex(root), bytesToHex(trie.root()));
    } finally {
      Account.prototype.serialize = serialize;
    }
  });
});
