// The in-process EIP-1193 provider: what createDevnet() hands to libraries, with no server.
import assert from "node:assert/strict";
import { BrowserProvider, parseEther } from "ethers";
import { createDevnet, type Devnet, ProviderRpcError } from "../src/index.js";

describe("in-process EIP-1193 provider", () => {
  let devnet: Devnet;
  beforeEach(async () => {
    devnet = await createDevnet();
  });
  afterEach(() => devnet.close());

  it("drives ethers' BrowserProvider: signer from eth_accounts, send, wait", async () => {
    const provider = new BrowserProvider(devnet.provider);
    const signer = await provider.getSigner(0);
    assert.equal(await signer.getAddress(), devnet.accounts[0].address);
    const receipt = await (await signer.sendTransaction({ to: devnet.accounts[1].address, value: parseEther("1") })).wait();
    assert.equal(receipt?.status, 1);
    assert.equal((await provider.getNetwork()).chainId, 202601n);
    provider.destroy();
  });

  it("delivers eth_subscribe notifications as 'message' events, until eth_unsubscribe", async () => {
    const heads: string[] = [];
    devnet.provider.on("message", (m: { type: string; data: { subscription: string; result: { number: string } } }) => {
      if (m.type === "eth_subscription") heads.push(m.data.result.number);
    });
    const id = await devnet.request({ method: "eth_subscribe", params: ["newHeads"] });
    await devnet.request({ method: "hardhat_mine", params: ["0x2"] });
    assert.deepEqual(heads, ["0x1", "0x2"]);
    assert.equal(await devnet.request({ method: "eth_unsubscribe", params: [id] }), true);
    await devnet.request({ method: "evm_mine" });
    assert.deepEqual(heads, ["0x1", "0x2"]);
  });

  it("rejects with a numeric JSON-RPC code and the devnet's reason, and refuses requests after close()", async () => {
    await assert.rejects(devnet.request({ method: "eth_getBalance", params: ["0x12"] }), (e: unknown) => {
      assert.ok(e instanceof ProviderRpcError);
      assert.equal(e.code, -32602);
      assert.equal(e.reason, "INVALID_PARAMS");
      return true;
    });
    await assert.rejects(devnet.request({ method: 42 } as never), (e: unknown) => e instanceof ProviderRpcError && e.code === -32600);
    await devnet.close();
    await assert.rejects(
      devnet.request({ method: "eth_chainId" }),
      (e: unknown) => e instanceof ProviderRpcError && e.reason === "DEVNET_CLOSED",
    );
  });
});
