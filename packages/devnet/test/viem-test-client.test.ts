// viem's test client (a client no one here wrote) against the devnet over HTTP, in Hardhat and in
// Anvil mode: each action's effect is checked on the next block or in the pool.
import assert from "node:assert/strict";
import { createPublicClient, createTestClient, createWalletClient, defineChain, getAddress, http, parseGwei } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startTestDevnet, type TestDevnet } from "./support/server.js";

const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const recipient = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

for (const mode of ["hardhat", "anvil"] as const) {
  describe(`viem test client (mode "${mode}") over HTTP`, function () {
    this.timeout(30_000);
    let net: TestDevnet;
    let test: ReturnType<typeof createTestClient>;
    let client: ReturnType<typeof createPublicClient>;
    let wallet: ReturnType<typeof createWalletClient>;

    beforeEach(async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const chain = defineChain({
        id: 202601,
        name: "Bitlayer devnet",
        nativeCurrency: { name: "Bitcoin", symbol: "BTC", decimals: 18 },
        rpcUrls: { default: { http: [net.url] } },
      });
      test = createTestClient({ chain, mode, transport: http(net.url) });
      client = createPublicClient({ chain, transport: http(net.url) });
      wallet = createWalletClient({ chain, account, transport: http(net.url) });
    });
    afterEach(() => net.close());

    it("mine: blocks, each stamped later than the one before (viem sends interval 0)", async () => {
      const before = await client.getBlock();
      await test.mine({ blocks: 3 });
      const blocks = await Promise.all([1n, 2n, 3n].map((n) => client.getBlock({ blockNumber: before.number + n })));
      assert.equal(await client.getBlockNumber(), before.number + 3n);
      let previous = before.timestamp;
      for (const block of blocks) {
        assert.ok(block.timestamp > previous, `timestamps ${[before, ...blocks].map((b) => b.timestamp).join(", ")}`);
        previous = block.timestamp;
      }
    });

    it("setNextBlockBaseFeePerGas: the next block's base fee", async () => {
      await test.setNextBlockBaseFeePerGas({ baseFeePerGas: parseGwei("3") });
      await test.mine({ blocks: 1 });
      assert.equal((await client.getBlock()).baseFeePerGas, parseGwei("3"));
    });

    it("setCoinbase: the next block's miner", async () => {
      await test.setCoinbase({ address: recipient });
      await test.mine({ blocks: 1 });
      assert.equal((await client.getBlock()).miner, recipient);
    });

    it("setBlockGasLimit: the next block's gas limit", async () => {
      await test.setBlockGasLimit({ gasLimit: 12_345_678n });
      await test.mine({ blocks: 1 });
      assert.equal((await client.getBlock()).gasLimit, 12_345_678n);
    });

    it("inspectTxpool: a pooled transaction in geth's summary form", async () => {
      await test.setAutomine(false);
      await wallet.sendTransaction({
        account,
        chain: wallet.chain,
        to: recipient,
        value: 5n,
        gas: 21_000n,
        maxFeePerGas: parseGwei("4"),
        maxPriorityFeePerGas: 1n,
      });
      const pool = await test.inspectTxpool();
      assert.deepEqual(pool.queued, {});
      assert.deepEqual(pool.pending, {
        [getAddress(account.address)]: { "0": `${getAddress(recipient)}: 5 wei + 21000 gas × ${parseGwei("4")} wei` },
      });
      await test.mine({ blocks: 1 });
      assert.deepEqual(await test.inspectTxpool(), { pending: {}, queued: {} });
    });
  });
}
