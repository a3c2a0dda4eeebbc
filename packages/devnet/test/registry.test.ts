import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bitcoinMethodRegistry, renderBitcoinRpcReference } from "../src/bitcoin/rpc/index.js";
import { createDevnet, type Devnet, DevnetError, methodRegistry } from "../src/index.js";
import { renderRpcReference } from "../src/rpc/reference.js";

const ISSUE_METHODS = [
  "eth_chainId",
  "eth_blockNumber",
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_call",
  "eth_estimateGas",
  "eth_createAccessList",
  "eth_sendRawTransaction",
  "eth_sendTransaction",
  "eth_sign",
  "personal_sign",
  "eth_signTypedData_v4",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getBlockReceipts",
  "eth_getBlockTransactionCountByHash",
  "eth_getBlockTransactionCountByNumber",
  "eth_getTransactionByBlockHashAndIndex",
  "eth_getTransactionByBlockNumberAndIndex",
  "eth_getLogs",
  "eth_newFilter",
  "eth_newBlockFilter",
  "eth_newPendingTransactionFilter",
  "eth_getFilterChanges",
  "eth_getFilterLogs",
  "eth_uninstallFilter",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "eth_accounts",
  "eth_syncing",
  "net_version",
  "net_listening",
  "web3_clientVersion",
  "web3_sha3",
  "eth_subscribe",
  "eth_unsubscribe",
  "txpool_status",
  "txpool_content",
  "debug_traceTransaction",
  "evm_snapshot",
  "evm_revert",
  "evm_mine",
  "evm_increaseTime",
  "evm_setNextBlockTimestamp",
  "evm_setAutomine",
  "evm_setIntervalMining",
  ...[
    "setBalance",
    "setCode",
    "setNonce",
    "setStorageAt",
    "impersonateAccount",
    "stopImpersonatingAccount",
    "mine",
    "reset",
    "dropTransaction",
  ].flatMap((m) => [`hardhat_${m}`, `anvil_${m}`]),
  "hardhat_metadata",
  "anvil_dumpState",
  "anvil_loadState",
];

describe("method registry", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
  });
  after(() => devnet.close());

  it("serves every method the issue names, including the hardhat_/anvil_ aliases", () => {
    const missing = ISSUE_METHODS.filter((m) => !methodRegistry.has(m));
    assert.deepEqual(missing, []);
  });

  it("answers an alias exactly as its method", async () => {
    await devnet.request({ method: "anvil_setBalance", params: ["0x00000000000000000000000000000000000000aa", "0x1234"] });
    assert.equal(await devnet.request({ method: "eth_getBalance", params: ["0x00000000000000000000000000000000000000aa"] }), "0x1234");
    await devnet.request({ method: "hardhat_setBalance", params: ["0x00000000000000000000000000000000000000aa", "0x99"] });
    assert.equal(await devnet.request({ method: "eth_getBalance", params: ["0x00000000000000000000000000000000000000aa"] }), "0x99");
  });

  it("names the parameter and what it expected on invalid params", () => {
    const spec = methodRegistry.list().find((m) => m.name === "eth_getBalance");
    assert.ok(spec);
    assert.throws(
      () => methodRegistry.parse(spec, ["0x1234", "latest"]),
      (e: unknown) => e instanceof DevnetError && e.code === "INVALID_PARAMS" && /'address'/.test(e.message) && /20-byte/.test(e.message),
    );
    assert.throws(() => methodRegistry.parse(spec, []), /missing value for required parameter 'address'/);
    assert.throws(() => methodRegistry.parse(spec, ["0x" + "11".repeat(20), "latest", 1]), /too many parameters/);
    assert.throws(() => methodRegistry.parse(spec, ["0x" + "11".repeat(20), "newest"]), /parameter 'block'/);
    assert.throws(() => methodRegistry.parse(spec, { address: "0x" }), /params must be an array/);
  });

  it("converts params once, to typed values", () => {
    const spec = methodRegistry.list().find((m) => m.name === "eth_getBlockByNumber");
    assert.ok(spec);
    assert.deepEqual(methodRegistry.parse(spec, ["0x10", true]), [{ kind: "number", number: 16n }, true]);
    assert.deepEqual(methodRegistry.parse(spec, [{ blockNumber: "0x2" }]), [{ kind: "number", number: 2n }, undefined]);
  });

  it("rejects unknown methods with -32601 naming them", async () => {
    await assert.rejects(devnet.request({ method: "eth_doesNotExist" }), (e: { code: number; message: string }) => {
      return e.code === -32601 && e.message.includes("eth_doesNotExist");
    });
  });

  it("has an RPC reference in docs/ that matches the registry (run `npm run docs` after changing a method)", () => {
    const path = fileURLToPath(new URL("../../../../docs/rpc-reference.md", import.meta.url));
    assert.equal(readFileSync(path, "utf8"), renderRpcReference(methodRegistry));
  });

  it("has a Bitcoin RPC reference in docs/ that matches the Bitcoin registry (run `npm run docs` after changing one)", () => {
    const path = fileURLToPath(new URL("../../../../docs/bitcoin-rpc-reference.md", import.meta.url));
    assert.equal(readFileSync(path, "utf8"), renderBitcoinRpcReference(bitcoinMethodRegistry));
  });
});
