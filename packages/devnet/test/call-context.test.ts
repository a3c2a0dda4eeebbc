// eth_call's block context is built once per block and fee mode (l2/call.ts): a call that names a fee sees the
// block's base fee, one that names none runs at base fee 0 (geth's NoBaseFee), in any order, and each block its own.
import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "../src/index.js";
import { deployRuntime } from "./support/raw-code.js";

describe("eth_call: the block context, per block and fee mode", () => {
  let devnet: Devnet;
  const rpc = async <T>(method: string, params: unknown[]) => (await devnet.request({ method, params })) as T;

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
  });
  after(() => devnet?.close());

  it("BASEFEE and NUMBER: the block's, or 0 without a fee, whichever comes first", async () => {
    const [from] = await rpc<string[]>("eth_accounts", []);
    // Returns BASEFEE and NUMBER as two words.
    const runtime = "48600052436020526040" + "6000f3";
    const to = await deployRuntime(devnet, from, runtime);
    const words = async (fee: boolean, tag: string) => {
      const out = await rpc<string>("eth_call", [{ from, to, ...(fee ? { maxFeePerGas: "0x174876e800" } : {}) }, tag]);
      return [BigInt(`0x${out.slice(2, 66)}`), BigInt(`0x${out.slice(66, 130)}`)];
    };
    for (let round = 0; round < 2; round++) {
      const latest = await rpc<{ number: string; baseFeePerGas: string }>("eth_getBlockByNumber", ["latest", false]);
      const expected = [BigInt(latest.baseFeePerGas), BigInt(latest.number)];
      assert.ok(expected[0] > 0n);
      for (const order of [
        [true, false, true],
        [false, true, false],
      ])
        for (const fee of order) assert.deepEqual(await words(fee, "latest"), fee ? expected : [0n, expected[1]]);
      // An earlier block keeps its own context.
      assert.deepEqual((await words(true, "0x1"))[1], 1n);
      await rpc("eth_sendTransaction", [{ from, to: from, value: "0x1" }]); // a new block
    }
  });

  it("every header field a contract reads is the block's, at the latest block and at a past one", async () => {
    const [from] = await rpc<string[]>("eth_accounts", []);
    // COINBASE, TIMESTAMP, NUMBER, DIFFICULTY (Bitlayer's PoS stamp), GASLIMIT, BASEFEE: six words.
    const runtime = "41600052" + "42602052" + "43604052" + "44606052" + "45608052" + "4860a052" + "60c06000f3";
    const to = await deployRuntime(devnet, from, runtime);
    await rpc("eth_sendTransaction", [{ from, to: from, value: "0x1" }]);
    const head = BigInt(await rpc<string>("eth_blockNumber", []));
    for (const tag of ["latest", `0x${(head - 1n).toString(16)}`]) {
      const block = await rpc<Record<string, string>>("eth_getBlockByNumber", [tag, false]);
      const out = await rpc<string>("eth_call", [{ from, to, maxFeePerGas: "0x174876e800" }, tag]);
      const words = Array.from({ length: 6 }, (_, i) => BigInt(`0x${out.slice(2 + 64 * i, 66 + 64 * i)}`));
      assert.deepEqual(
        words,
        [block.miner, block.timestamp, block.number, block.difficulty, block.gasLimit, block.baseFeePerGas].map(BigInt),
        tag,
      );
    }
  });
});
