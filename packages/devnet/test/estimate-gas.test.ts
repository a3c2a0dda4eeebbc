// eth_estimateGas's short cut for a plain transfer (geth's: one run at 21,000) and what must still take the search.

import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "../src/index.js";
import { deployRuntime, initCodeFor } from "./support/raw-code.js";

describe("eth_estimateGas: plain transfers", () => {
  let devnet: Devnet;
  let from: string;
  let to: string;
  const estimate = async (tx: Record<string, unknown>) =>
    BigInt((await devnet.request({ method: "eth_estimateGas", params: [tx] })) as string);

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    [from, to] = (await devnet.request({ method: "eth_accounts" })) as string[];
  });
  after(() => devnet?.close());

  it("a transfer to an account without code is 21,000, as to a fresh address and with no value", async () => {
    assert.equal(await estimate({ from, to, value: "0xde0b6b3a7640000" }), 21_000n);
    assert.equal(await estimate({ from, to: `0x${"12".repeat(20)}` }), 21_000n);
    assert.equal(await estimate({ from, to, data: "0x" }), 21_000n);
  });

  it("what costs more than 21,000 takes the search: an access list, a precompile, calldata, a contract", async () => {
    assert.equal(await estimate({ from, to, accessList: [{ address: to, storageKeys: [] }] }), 23_400n);
    // The identity precompile (0x04) charges 15 gas for empty input.
    assert.equal(await estimate({ from, to: "0x0000000000000000000000000000000000000004" }), 21_015n);
    // Two non-zero calldata bytes: 16 gas each (EIP-2028).
    assert.equal(await estimate({ from, to, data: "0x0101" }), 21_032n);
    // A contract whose code stores CALLVALUE at slot 0 (PUSH0 SSTORE needs more than 21,000).
    const contract = await deployRuntime(devnet, from, "34600055" + "00");
    const contractGas = await estimate({ from, to: contract, value: "0x1" });
    assert.ok(contractGas > 21_000n + 20_000n, `a contract's run was estimated (${contractGas})`);
  });

  it("a transfer the sender cannot pay is refused as before: insufficient funds", async () => {
    const poor = `0x${"34".repeat(20)}`;
    await assert.rejects(estimate({ from: poor, to, value: "0x1" }), /insufficient funds/);
  });
});

describe("eth_estimateGas: the least gas that succeeds, with or without the confirming run", () => {
  let devnet: Devnet;
  let from: string;
  const rpc = async <T>(method: string, params: unknown[]) => (await devnet.request({ method, params })) as T;

  const deploy = (runtime: string) => deployRuntime(devnet, from, runtime);

  /** The estimate, after checking it against eth_call on the same (pending) state: it succeeds, one less does not. */
  async function leastGas(tx: Record<string, unknown>): Promise<bigint> {
    // Run first as a call: the EVM then knows the code's jump analysis (remembered per opcode table) before the
    // estimate's probe runs it, and the probe must still see every opcode it watches.
    await rpc("eth_call", [tx, "pending"]);
    const gas = BigInt(await rpc<string>("eth_estimateGas", [tx]));
    await rpc("eth_call", [{ ...tx, gas: `0x${gas.toString(16)}` }, "pending"]);
    // Out of gas, the sentry, a call that got too little (then INVALID): any failure, gas being the only change.
    await assert.rejects(rpc("eth_call", [{ ...tx, gas: `0x${(gas - 1n).toString(16)}` }, "pending"]));
    return gas;
  }

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    [from] = await rpc<string[]>("eth_accounts", []);
  });
  after(() => devnet?.close());

  it("a store and a log (no gas read, the sentry far): the gas it used", async () => {
    // slot0 += 1; LOG0 of 32 bytes of memory.
    const to = await deploy("600160005401600055" + "60206000a0" + "00");
    const gas = await leastGas({ from, to });
    assert.ok(gas > 21_000n + 20_000n, `${gas}`);
  });

  it("a store with 2,300 gas or less left after it (EIP-2200's sentry): more than the gas it used", async () => {
    // SSTORE(0, 0) on an empty slot: 2,200 gas, and nothing after it. At the gas it used, the sentry refuses it.
    // The second, after a JUMP (see the next test).
    for (const to of [await deploy("6000600055" + "00"), await deploy("6003565b" + "6000600055" + "00")]) {
      const used = BigInt((await rpc<{ gasUsed: string }>("eth_createAccessList", [{ from, to }, "pending"])).gasUsed);
      const gas = await leastGas({ from, to });
      assert.ok(gas > used, `estimate ${gas} must exceed the gas used ${used}: the sentry needs more than 2,300 left`);
    }
  });

  it("code that reads the gas left (GAS) or forwards it (CALL): found by the search", async () => {
    // No SSTORE in either: only the probe of GAS and CALL tells that less gas changes the run.
    // INVALID unless gasleft() > 100,000.
    const gate = await deploy("5a620186a010600a57fe5b00");
    assert.ok((await leastGas({ from, to: gate })) > 100_000n);
    // The same after a JUMP (the interpreter analyses the code at its first jump, and then takes every opcode's
    // handler from that analysis).
    const jumpFirst = await deploy("6003565b" + "5a620186a010600e57fe5b00");
    assert.ok((await leastGas({ from, to: jumpFirst })) > 100_000n);
    // A callee that expands memory to 16 KiB (~2,000 gas), and a caller that forwards all but 1/64 of its gas to it
    // and hits INVALID if the call failed.
    const callee = await deploy("600061400052" + "00");
    const caller = await deploy(`6000600060006000600073${callee.slice(2)}5af1` + "602557fe5b00");
    const used = BigInt((await rpc<{ gasUsed: string }>("eth_createAccessList", [{ from, to: caller }, "pending"])).gasUsed);
    const gas = await leastGas({ from, to: caller });
    assert.ok(gas > used, `estimate ${gas} must exceed the gas used ${used}: the call gets 63/64 of what is left`);
  });

  it("a refund (a slot cleared) and a deployment: the least gas that succeeds", async () => {
    // Sets slots 0-2 to 1 if slot 0 is 0, else clears them: refunds of more than a fifth of the gas used, so that the
    // gas used plus the refund is more than the least gas that succeeds.
    const clear = "6000600055" + "6000600155" + "6000600255" + "00";
    const set = "5b" + "6001600055" + "6001600155" + "6001600255" + "00";
    const toggler = await deploy(`60005415601757${clear}${set}`);
    await rpc("eth_sendTransaction", [{ from, to: toggler }]); // 0 -> 1
    await leastGas({ from, to: toggler }); // 1 -> 0: refunds
    await leastGas({ from, data: initCodeFor("600160005401600055" + "00") });
  });
});
