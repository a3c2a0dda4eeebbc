// eth_estimateGas's short cut for a plain transfer (geth's: one run at 21,000) and what must still take the search.

import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "../src/index.js";

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
    const deploy = (await devnet.request({
      method: "eth_sendTransaction",
      params: [{ from, data: "0x6005600c60003960056000f334600055" + "00" }],
    })) as string;
    const receipt = (await devnet.request({ method: "eth_getTransactionReceipt", params: [deploy] })) as { contractAddress: string };
    const contractGas = await estimate({ from, to: receipt.contractAddress, value: "0x1" });
    assert.ok(contractGas > 21_000n + 20_000n, `a contract's run was estimated (${contractGas})`);
  });

  it("a transfer the sender cannot pay is refused as before: insufficient funds", async () => {
    const poor = `0x${"34".repeat(20)}`;
    await assert.rejects(estimate({ from: poor, to, value: "0x1" }), /insufficient funds/);
  });
});
