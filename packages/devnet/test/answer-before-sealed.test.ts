// Automine answers a send that came over a socket once its transaction has run, and seals the block (state root,
// tries) while the answer travels (L2Chain.sealed); whatever is asked next waits for the block. In process, and for a
// send whose transaction logs to the console, the answer still comes once the block is in the chain.
import assert from "node:assert/strict";
import { Interface, Wallet } from "ethers";
import { createDevnet, type Devnet } from "../src/index.js";

const CONSOLE_ADDRESS = "0x000000000000000000636F6e736F6c652e6c6f67";
const socket = { answerBeforeSealed: true };

describe("answering a send before its block is sealed", () => {
  let devnet: Devnet;
  let wallet: Wallet;
  let nonce: number;
  beforeEach(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    wallet = new Wallet(devnet.accounts[0].privateKey);
    nonce = 0;
  });
  afterEach(() => devnet.close());

  const transfer = (data = "0x", to = "0x000000000000000000000000000000000000bEEF") =>
    wallet.signTransaction({
      type: 2,
      chainId: devnet.chainId,
      nonce: nonce++,
      to,
      data,
      value: 1n,
      gasLimit: 100_000n,
      maxFeePerGas: 10n ** 10n,
    });

  it("over a socket: answered while the block is sealed; the next request waits for it, on any connection", async () => {
    const chain = devnet.core.chain;
    for (let i = 1; i <= 3; i++) {
      const hash = await devnet.core.request("eth_sendRawTransaction", [await transfer()], socket);
      assert.equal(chain.head.number, BigInt(i - 1), "answered before its block joined the chain");
      assert.ok(chain.sealed(), "the block is being sealed");
      // No source: another client, or the same one on a new connection.
      const receipt = (await devnet.core.request("eth_getTransactionReceipt", [hash])) as { blockNumber: string; status: string };
      assert.equal(chain.sealed(), undefined);
      assert.deepEqual([receipt.blockNumber, receipt.status], [`0x${i.toString(16)}`, "0x1"]);
      assert.equal(await devnet.core.request("eth_blockNumber", [], socket), `0x${i.toString(16)}`);
    }
  });

  it("in process: a send is answered once its block is in the chain, also when it shares the block with an early one", async () => {
    const chain = devnet.core.chain;
    await devnet.request({ method: "eth_sendRawTransaction", params: [await transfer()] });
    assert.equal(chain.head.number, 1n);
    await devnet.core.request("eth_sendRawTransaction", [await transfer()]);
    assert.equal(chain.head.number, 2n);
    assert.equal(chain.sealed(), undefined);
    const raws = [await transfer(), await transfer()];
    await Promise.all([
      devnet.core.request("eth_sendRawTransaction", [raws[0]], socket),
      devnet.core.request("eth_sendRawTransaction", [raws[1]]).then(() => assert.equal(chain.head.number, 3n)),
    ]);
  });

  it("a send whose transaction logs to the console is answered after its block, and after its lines", async () => {
    const lines: string[] = [];
    devnet.onConsole((log) => lines.push(log.text));
    const data = new Interface(["function log(string)"]).encodeFunctionData("log", ["sealed first"]);
    await devnet.core.request("eth_sendRawTransaction", [await transfer(data, CONSOLE_ADDRESS)], socket);
    assert.equal(devnet.core.chain.head.number, 1n);
    assert.deepEqual(lines, ["sealed first"]);
    // The next send without console calls is answered early again.
    await devnet.core.request("eth_sendRawTransaction", [await transfer()], socket);
    assert.equal(devnet.core.chain.head.number, 1n);
  });

  it("a block that fails to seal after its send was answered: the state is put back, waiting senders get the fault", async () => {
    const chain = devnet.core.chain;
    const state = chain.vm.stateManager;
    const commit = state.commit.bind(state);
    state.commit = async () => {
      if (chain.sealed()) throw new Error("the disk is on fire");
      return commit();
    };
    const before = await devnet.request({ method: "eth_getBalance", params: [wallet.address, "latest"] });
    const hash = await devnet.core.request("eth_sendRawTransaction", [await transfer()], socket);
    assert.equal(await devnet.core.request("eth_getTransactionReceipt", [hash]), null, "no block holds it");
    assert.equal(chain.head.number, 0n);
    assert.equal(await devnet.request({ method: "eth_getBalance", params: [wallet.address, "latest"] }), before);
    // In one block, a send answered early and one that waits for the block: the second gets the fault.
    nonce = 0;
    const raws = [await transfer(), await transfer()];
    const [early, waiting] = await Promise.allSettled([
      devnet.core.request("eth_sendRawTransaction", [raws[0]], socket),
      devnet.core.request("eth_sendRawTransaction", [raws[1]]),
    ]);
    assert.equal(early.status, "fulfilled");
    assert.equal(waiting.status, "rejected");
    assert.match((waiting as PromiseRejectedResult).reason.message, /mining failed: the disk is on fire/);
    state.commit = commit;
    nonce = 0;
    await devnet.core.request("eth_sendRawTransaction", [await transfer()], socket);
    await devnet.request({ method: "eth_blockNumber" });
    assert.equal(chain.head.number, 1n, "mining goes on");
    assert.notEqual(await devnet.request({ method: "eth_getBalance", params: [wallet.address, "latest"] }), before);
  });
});
