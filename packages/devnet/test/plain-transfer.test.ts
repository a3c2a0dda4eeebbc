// applyPlainTransfer against runTx: the same transactions, on copies of one state, both ways. Every outcome must match:
// the error when one fails, else the result (gas, amounts, receipt, bloom) and the state root and accounts after.

import assert from "node:assert/strict";
import { createTx, type TypedTransaction, type TypedTxData } from "@ethereumjs/tx";
import { Account, Address, bytesToHex, privateToAddress } from "@ethereumjs/util";
import type { RunTxResult, VM } from "@ethereumjs/vm";
import { createDevnet, type Devnet } from "../src/index.js";
import { executeTx, setPlainTransfers } from "../src/l2/execute.js";
import { executionBlock } from "../src/l2/miner.js";
import { applyPlainTransfer } from "../src/l2/plain-transfer.js";
import { libOptions } from "../src/l2/profile.js";
import { signTx } from "../src/l2/transactions.js";
import { random } from "./support/random.js";

const rpc = <T = unknown>(d: Devnet, method: string, params: unknown[] = []) => d.request({ method, params }) as Promise<T>;
const GWEI = 1_000_000_000n;

/** What a caller of executeTx reads of a result, and the receipt it stores. */
function digest(r: RunTxResult) {
  return {
    totalGasSpent: r.totalGasSpent,
    amountSpent: r.amountSpent,
    minerValue: r.minerValue,
    gasRefund: r.gasRefund,
    blockGasSpent: r.blockGasSpent,
    createdAddress: r.createdAddress,
    bloom: bytesToHex(r.bloom.bitvector),
    receipt: r.receipt,
    execResult: {
      executionGasUsed: r.execResult.executionGasUsed,
      exceptionError: r.execResult.exceptionError,
      returnValue: bytesToHex(r.execResult.returnValue),
      logs: r.execResult.logs ?? [],
      gasRefund: r.execResult.gasRefund ?? 0n,
    },
  };
}

describe("plain transfers without the EVM's call machinery", function () {
  this.timeout(60_000);
  afterEach(() => setPlainTransfers(true));

  for (const profile of ["bitlayer", "prague"] as const) {
    it(`give runTx's outcome on random transfers (${profile}): errors, results, receipts, state roots and accounts`, async () => {
      const d = await createDevnet({ genesisTimestamp: 1_700_000_000, hardfork: profile });
      try {
        const chain = d.core.chain;
        const common = chain.common;
        const rnd = random(profile === "bitlayer" ? 7 : 8);
        const keys = Array.from({ length: 4 }, () => {
          const key = rnd.bytes(32);
          key[0] = 1; // below the curve order
          return { key, address: new Address(privateToAddress(key)) };
        });
        const empty = new Address(new Uint8Array(20).fill(0xe0)); // exists, with nothing in it
        const contract = new Address(new Uint8Array(20).fill(0xc0));
        const fresh = () => new Address(rnd.bytes(20));
        const precompile = new Address(Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? 4 : 0)));
        let applied = 0;
        let cases = 0;
        for (let round = 0; round < 120; round++) {
          const sender = keys[rnd.int(keys.length)];
          const balance = [0n, 21_000n * 10n * GWEI, 10n ** 18n, 2n ** 255n][rnd.int(4)];
          const nonce = BigInt(rnd.int(3));
          const baseFee = [0n, 7n, GWEI][rnd.int(3)];
          const coinbase = [fresh(), sender.address, empty, keys[0].address][rnd.int(4)];
          const to = [fresh(), sender.address, empty, contract, precompile, keys[1].address, coinbase][rnd.int(7)];
          const value = [0n, 1n, BigInt(rnd.int(1_000_000)) * GWEI, balance][rnd.int(4)];
          const type = rnd.int(3);
          const price = [0n, baseFee, baseFee + GWEI, 3n * GWEI][rnd.int(4)];
          const data: TypedTxData = {
            type,
            nonce: rnd.next() < 0.9 ? nonce : nonce + 1n,
            gasLimit: [21_000n, 30_000n, 20_999n, 40_000_001n][rnd.next() < 0.85 ? rnd.int(2) : 2 + rnd.int(2)],
            to,
            value,
            chainId: type === 0 ? undefined : chain.config.chainId,
            ...(type === 2
              ? { maxFeePerGas: price, maxPriorityFeePerGas: [0n, GWEI, 5n * GWEI, price][rnd.int(4)] % (price + 1n) }
              : { gasPrice: price }),
            ...(type === 1 ? { accessList: [] } : {}),
          } as TypedTxData;
          const tx = signTx(createTx(data, { ...libOptions(common), freeze: false }), sender.key);
          const header = { ...chain.nextHeader(), coinbase, baseFeePerGas: baseFee };
          const block = executionBlock(common, header);
          const blockGasUsed = BigInt(rnd.int(3)) * 21_000n;

          const outcomes = [];
          for (const plain of [true, false]) {
            const vm: VM = await chain.vmAt(await chain.state.getStateRoot(), "now");
            const state = vm.stateManager;
            await state.putAccount(sender.address, new Account(nonce, balance));
            await state.putAccount(empty, new Account());
            await state.putAccount(contract, new Account(0n, 5n));
            await state.putCode(contract, Uint8Array.of(0x34, 0x60, 0x00, 0x55)); // SSTORE(0, CALLVALUE)
            await state.getStateRoot();
            if (plain) {
              // Whether the fast path takes it, found on a copy that is thrown away.
              await state.checkpoint();
              if (await applyPlainTransfer(vm, tx as TypedTransaction, block, blockGasUsed)) applied++;
              await state.revert();
            }
            setPlainTransfers(plain);
            let outcome: unknown;
            try {
              outcome = digest(await executeTx(vm, tx, block, blockGasUsed, { plain: true }));
            } catch (error) {
              outcome = { error: (error as Error).message };
            }
            const accounts = [];
            for (const address of [sender.address, to, coinbase, empty])
              accounts.push((await state.getAccount(address))?.serialize().join(",") ?? "none");
            outcomes.push({ outcome, accounts, root: bytesToHex(await state.getStateRoot()) });
          }
          setPlainTransfers(true);
          assert.deepEqual(
            outcomes[0],
            outcomes[1],
            `round ${round}: ${JSON.stringify(data, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
          );
          cases++;
        }
        // Not a vacuous comparison: the fast path took a good share of them, and runTx all the others.
        assert.ok(applied >= cases / 5 && applied < cases, `the fast path applied ${applied} of ${cases}`);
      } finally {
        await d.close();
      }
    });
  }

  it("a devnet mines and seals the same chain with them as without: block hashes, receipts, the watcher's roots", async () => {
    const make = () => createDevnet({ genesisTimestamp: 1_700_000_000, followWallClock: false, bitcoin: { blockTime: 60 } });
    const [a, b] = [await make(), await make()];
    const both = async <T>(method: string, params: unknown[] = []): Promise<[T, T]> => {
      setPlainTransfers(true);
      const x = await rpc<T>(a, method, params);
      setPlainTransfers(false);
      const y = await rpc<T>(b, method, params);
      setPlainTransfers(true);
      return [x, y];
    };
    try {
      const [alice, bob] = a.accounts;
      const stranger = `0x${"5a".repeat(20)}`;
      // Plain transfers (to an account, to a new address, of nothing to a new address, to oneself), a deploy, a call,
      // value to the contract and to a precompile, in automined blocks and in one block of several.
      const sends = [
        { from: alice.address, to: bob.address, value: "0x1" },
        { from: alice.address, to: stranger, value: "0xde0b6b3a7640000" },
        { from: bob.address, to: `0x${"00".repeat(19)}77`, value: "0x0" },
        { from: bob.address, to: bob.address, value: "0x5" },
        { from: alice.address, data: "0x600a600c600039600a6000f3602a60005260206000f3" }, // returns 42
        { from: alice.address, to: `0x${"00".repeat(19)}02`, value: "0x3" },
        { from: bob.address, to: alice.address, value: "0x7", type: "0x0", gasPrice: "0x77359400" },
      ];
      for (const tx of sends) await both("eth_sendTransaction", [tx]);
      const [deployed] = await both<{ contractAddress: string }>("eth_getTransactionReceipt", [
        (await both<{ transactions: string[] }>("eth_getBlockByNumber", ["0x5", false]))[0].transactions[0],
      ]);
      await both("eth_sendTransaction", [{ from: bob.address, to: deployed.contractAddress, value: "0x9" }]);
      // A Bitcoin block seals those; the next batch holds the block of several.
      await both("evm_increaseTime", [120]);
      await both("evm_mine");
      await both("evm_setAutomine", [false]);
      for (const tx of sends.slice(0, 4)) await both("eth_sendTransaction", [tx]);
      await both("evm_mine");
      await both("evm_setAutomine", [true]);
      // Past the next Bitcoin blocks: the batches are sealed, each devnet's watcher runs them its way.
      await both("evm_increaseTime", [600]);
      await both("evm_mine");
      const [ha, hb] = await both<string>("eth_blockNumber");
      assert.equal(ha, hb);
      for (let n = 0n; n <= BigInt(ha); n++) {
        const [x, y] = await both<{ hash: string; stateRoot: string; transactions: string[] }>("eth_getBlockByNumber", [
          `0x${n.toString(16)}`,
          false,
        ]);
        assert.equal(x.hash, y.hash, `block ${n}`);
        for (const hash of x.transactions) {
          const [rx, ry] = await both("eth_getTransactionReceipt", [hash]);
          assert.deepEqual(rx, ry, `receipt of ${hash}`);
        }
      }
      const [sa, sb] = await both<{ batches: { sealed: number } }>("bitlayer_status");
      assert.deepEqual(sa, sb);
      const batches = a.core.settlement.loaded?.batches ?? [];
      assert.ok(batches.length >= 2, `${batches.length} batches sealed`);
      for (const batch of batches) assert.equal(batch.executedRoot, batch.postStateRoot, `batch ${batch.index}`);
    } finally {
      setPlainTransfers(true);
      await Promise.all([a.close(), b.close()]);
    }
  });
});
