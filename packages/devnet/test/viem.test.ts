// viem (a client no one here wrote) against the devnet over HTTP: deploy, read, write, and the
// three kinds of revert decoded the way viem decodes them.
import assert from "node:assert/strict";
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, defineChain, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startTestDevnet } from "./support/server.js";
import { getContract } from "./support/solc.js";

const counter = getContract("Counter");
const abi = counter.abi as readonly unknown[];

function revertOf(error: unknown): ContractFunctionRevertedError {
  assert.ok(error instanceof BaseError, String(error));
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  assert.ok(revert instanceof ContractFunctionRevertedError, error.message);
  return revert;
}

describe("viem over HTTP", function () {
  this.timeout(30_000);
  let stop: () => Promise<void>;
  let publicClient: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  let address: `0x${string}`;
  const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  before(async () => {
    const t = await startTestDevnet();
    stop = t.close;
    const chain = defineChain({
      id: 202601,
      name: "Bitlayer devnet",
      nativeCurrency: { name: "Bitcoin", symbol: "BTC", decimals: 18 },
      rpcUrls: { default: { http: [t.url] } },
    });
    publicClient = createPublicClient({ chain, transport: http(t.url) });
    wallet = createWalletClient({ chain, account, transport: http(t.url) });
    const hash = await wallet.deployContract({ abi, bytecode: counter.bytecode as `0x${string}`, args: [7n], account, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    address = receipt.contractAddress as `0x${string}`;
  });
  after(() => stop());

  it("reads, writes, and sees the event", async () => {
    assert.equal(await publicClient.getChainId(), 202601);
    assert.equal(await publicClient.readContract({ address, abi, functionName: "count" }), 7n);
    const hash = await wallet.writeContract({ address, abi, functionName: "incrementBy", args: [5n], account, chain: wallet.chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.logs.length, 1);
    assert.equal(await publicClient.readContract({ address, abi, functionName: "count" }), 12n);
    const balance = await publicClient.getBalance({ address: account.address });
    assert.ok(balance < parseEther("10000"));
  });

  it("decodes a require() reason", async () => {
    const error = await publicClient.simulateContract({ address, abi, functionName: "incrementBy", args: [0n], account }).then(
      () => assert.fail("should revert"),
      (e: unknown) => e,
    );
    assert.equal(revertOf(error).reason, "amount must be positive");
  });

  it("decodes a custom error with its arguments", async () => {
    const error = await publicClient.simulateContract({ address, abi, functionName: "incrementBy", args: [5000n], account }).then(
      () => assert.fail("should revert"),
      (e: unknown) => e,
    );
    const revert = revertOf(error);
    assert.equal(revert.data?.errorName, "TooLarge");
    assert.deepEqual(revert.data?.args, [5000n, 1000n]);
  });

  it("decodes a panic", async () => {
    const error = await publicClient.readContract({ address, abi, functionName: "divide", args: [0n] }).then(
      () => assert.fail("should revert"),
      (e: unknown) => e,
    );
    assert.equal(revertOf(error).data?.errorName, "Panic");
    assert.deepEqual(revertOf(error).data?.args, [0x12n]);
  });
});
