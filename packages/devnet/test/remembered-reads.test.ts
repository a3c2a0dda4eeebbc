// Trie reads kept across reverts and carried along flushes (l2/remembered-reads.ts). That what is read is right is the
// state-manager model test's job (a view that follows the state, its reads compared with the model); here: that reads
// are in fact remembered where they should be, and what bounds the memory.
import assert from "node:assert/strict";
import { createDevnet } from "../src/index.js";
import {
  MAX_REMEMBERED_ACCOUNTS,
  MAX_REMEMBERED_SLOTS,
  RememberedReads,
  type StateTransition,
  TransitionLog,
} from "../src/l2/remembered-reads.js";
import { deployRuntime } from "./support/raw-code.js";

// A counter in slot 0: a call with data returns it; a transaction without data adds one.
// CALLDATASIZE PUSH1 0x0e JUMPI | SLOAD(0) + 1, SSTORE(0) STOP | JUMPDEST: MSTORE(0, SLOAD(0)) RETURN(0, 32)
const COUNTER = "36600e57600054600101600055005b60005460005260206000f3";

const root = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? n : 0));
const transition = (to: number, accounts: [string, Uint8Array | null][] = []): StateTransition => ({
  to: root(to),
  accounts: new Map(accounts),
  storage: new Map(),
});

describe("remembered trie reads", () => {
  it("a call after a block reads its accounts and slots from what was remembered, not from the tries", async function () {
    this.timeout(60_000);
    const devnet = await createDevnet({});
    const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => (await devnet.request({ method, params })) as T;
    const counts = { known: 0, unknown: 0 };
    const proto = RememberedReads.prototype;
    const [account, slot] = [proto.account, proto.slot];
    const count = (value: unknown) => {
      if (value === undefined) counts.unknown++;
      else counts.known++;
      return value;
    };
    proto.account = function (...args) {
      return count(account.apply(this, args)) as ReturnType<typeof account>;
    };
    proto.slot = function (...args) {
      return count(slot.apply(this, args)) as ReturnType<typeof slot>;
    };
    try {
      const [from] = await rpc<string[]>("eth_accounts");
      const to = await deployRuntime(devnet, from, COUNTER);
      await rpc("eth_sendTransaction", [{ from, to }]);
      assert.equal(BigInt(await rpc<string>("eth_call", [{ from, to, data: "0x01" }, "latest"])), 1n);
      await rpc("eth_sendTransaction", [{ from, to }]);
      counts.known = counts.unknown = 0;
      const two = await rpc<string>("eth_call", [{ from, to, data: "0x01" }, "latest"]);
      assert.equal(BigInt(two), 2n, "the call sees the block's write");
      assert.equal(counts.unknown, 0, "no account or slot read from the tries");
      assert.ok(counts.known >= 3, `the sender, the contract and its slot were remembered (${counts.known})`);
    } finally {
      proto.account = account;
      proto.slot = slot;
      await devnet.close();
    }
  });

  it("follows recorded transitions; a way it does not know forgets the accounts, not the slots", () => {
    const log = new TransitionLog();
    const reads = new RememberedReads(log);
    const rlp = (n: number) => Uint8Array.of(0xc0 + n);
    reads.rememberAccount(root(1), "aa", rlp(1));
    reads.rememberAccount(root(1), "bb", rlp(2));
    reads.rememberSlot(root(1), "aa", root(7), "01", rlp(3));
    log.record(root(1), transition(2, [["aa", rlp(4)]]));
    log.record(root(2), transition(3, [["cc", null]]));
    assert.deepEqual(reads.account(root(3), "aa"), rlp(4), "written by the first transition");
    assert.deepEqual(reads.account(root(3), "bb"), rlp(2), "not written: kept");
    assert.equal(reads.account(root(3), "cc"), null, "deleted by the second");
    // Back to root 1: no recorded way.
    assert.equal(reads.account(root(1), "aa"), undefined);
    assert.deepEqual(reads.slot(root(1), "aa", root(7), "01"), rlp(3), "a slot is kept for its storage root");
    assert.equal(reads.slot(root(1), "aa", root(8), "01"), undefined, "at another storage root it is not known");
  });

  it("keeps the latest transitions only, and each of a bounded size", () => {
    const log = new TransitionLog();
    for (let n = 1; n <= 70; n++) log.record(root(n), transition(n + 1));
    assert.equal(log.path(root(1), root(2)), undefined, "the oldest are dropped");
    assert.equal(log.path(root(60), root(71))?.length, 11);
    assert.equal(log.path(root(10), root(60)), undefined, "too long a way is not followed");
    const big = transition(
      201,
      Array.from({ length: 5000 }, (_, i): [string, Uint8Array | null] => [i.toString(16), null]),
    );
    log.record(root(200), big);
    assert.equal(log.path(root(200), root(201)), undefined, "a transition of too many writes is not recorded");
  });

  it("forgets everything past its bounds on accounts and on slots", () => {
    const reads = new RememberedReads(new TransitionLog());
    for (let i = 0; i <= MAX_REMEMBERED_ACCOUNTS; i++) reads.rememberAccount(root(1), i.toString(16), null);
    assert.equal(reads.account(root(1), "0"), undefined, "the first account is forgotten");
    assert.equal(reads.account(root(1), MAX_REMEMBERED_ACCOUNTS.toString(16)), null, "the last is known");
    for (let i = 0; i <= MAX_REMEMBERED_SLOTS; i++) reads.rememberSlot(root(1), (i % 7).toString(), root(9), i.toString(16), null);
    assert.equal(reads.slot(root(1), "0", root(9), "0"), undefined, "the first slot is forgotten");
    assert.equal(reads.slot(root(1), (MAX_REMEMBERED_SLOTS % 7).toString(), root(9), MAX_REMEMBERED_SLOTS.toString(16)), null);
  });
});
