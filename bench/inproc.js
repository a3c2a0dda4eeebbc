// One in-process measurement in a fresh Node process (run by bench/run.js with the repo's Node 22, which Hardhat
// needs): a devnet created inside this process, pre-signed raw transfers through its request function.
//   node bench/inproc.js <bitlayer|hardhat|tevm|ganache> <automine|batched> [count] [capMs]
//   node bench/inproc.js bitlayer warp [batches]
// Prints one JSON line on stdout.
import { Wallet } from "ethers";
import { importEngine } from "./lib/engine.js";
import { importPeer, peerVersion } from "./lib/peers.js";
import { warpWithBatches } from "./lib/warp.js";

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; // account #0 of `test … junk`
const MNEMONIC = "test test test test test test test test test test test junk";
const RECIPIENT = "0x000000000000000000000000000000000000bEEF";
const EMPTY_TRIE = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
const [devnetName, workload, countArg, capArg] = process.argv.slice(2);

// Each devnet: request(method, params), close(), how it mines one block, how automine is turned off.
const DEVNETS = {
  async bitlayer() {
    const { createDevnet } = await importEngine();
    const devnet = await createDevnet({}); // the defaults: the settlement layer on
    return {
      version: "this checkout",
      request: (method, params = []) => devnet.request({ method, params }),
      close: () => devnet.close(),
      mine: ["evm_mine", []],
      manual: ["evm_setAutomine", [false]],
    };
  },
  async hardhat() {
    // Hardhat 3's default network: edr-simulated, in this process (cwd: bench/hardhat-node, its config).
    const { network } = await import("hardhat");
    const conn = await network.connect();
    return {
      request: (method, params = []) => conn.provider.request({ method, params }),
      close: () => conn.close(),
      mine: ["evm_mine", []],
      manual: ["evm_setAutomine", [false]],
    };
  },
  async tevm() {
    // Tevm's auto mining does not mine eth_sendRawTransaction (only its own tevm_call/contract actions): in manual
    // mode, "automine" is a send and an anvil_mine per transfer.
    const { createMemoryClient } = await importPeer("tevm");
    const client = createMemoryClient({ miningConfig: { type: "manual" } });
    return {
      version: peerVersion("tevm"),
      request: (method, params = []) => client.transport.request({ method, params }),
      close: async () => {},
      mine: ["anvil_mine", []],
      mineEach: true,
    };
  },
  async ganache() {
    const ganache = (await importPeer("ganache")).default;
    const provider = ganache.provider({ logging: { quiet: true }, wallet: { mnemonic: MNEMONIC } });
    return {
      version: peerVersion("ganache"),
      request: (method, params = []) => provider.request({ method, params }),
      close: () => provider.disconnect(),
      mine: ["evm_mine", []],
      manual: ["miner_stop", []],
    };
  },
};

async function transfers(d, mode, count, capMs) {
  const wallet = new Wallet(KEY);
  const [chainId, gasPrice, start] = await Promise.all([
    d.request("eth_chainId"),
    d.request("eth_gasPrice"),
    d.request("eth_getTransactionCount", [wallet.address, "latest"]),
  ]);
  const raws = [];
  for (let k = 0; k < count; k++) {
    const tx = { type: 0, chainId: BigInt(chainId), nonce: Number(start) + k, gasPrice: BigInt(gasPrice) * 3n };
    raws.push(await wallet.signTransaction({ ...tx, to: RECIPIENT, value: 1n, gasLimit: 21_000n }));
  }
  const firstBlock = BigInt(await d.request("eth_blockNumber"));
  const balance = async () => BigInt(await d.request("eth_getBalance", [RECIPIENT, "latest"]));
  const paidBefore = await balance();
  const nonce = async () => Number(BigInt(await d.request("eth_getTransactionCount", [wallet.address, "latest"])));
  if (mode === "batched" && d.manual) await d.request(...d.manual);
  let sent = 0;
  let capped = false;
  const t0 = performance.now();
  for (const raw of raws) {
    if (performance.now() - t0 > capMs) {
      capped = true;
      break;
    }
    await d.request("eth_sendRawTransaction", [raw]);
    sent++;
    if (mode === "automine" && d.mineEach) await d.request(...d.mine);
  }
  let mines = 0;
  if (mode === "batched") {
    while ((await nonce()) < Number(start) + sent) {
      await d.request(...d.mine);
      if (++mines > sent + 10) throw new Error("evm_mine does not mine the pending transfers");
    }
  }
  const elapsedMs = performance.now() - t0;

  // Untimed checks: every transfer mined and paid (the recipient got 1 wei from each; Tevm's receipts fail to load,
  // so balances rather than receipts), a block per transfer in automine mode, and the blocks carry state roots
  // (the last two differ: the state changed between them).
  const included = (await nonce()) - Number(start);
  if (included !== sent) throw new Error(`${sent} transfers sent, ${included} mined`);
  const paid = (await balance()) - paidBefore;
  if (paid !== BigInt(sent)) throw new Error(`${sent} transfers mined, the recipient got ${paid} wei`);
  const latest = await d.request("eth_getBlockByNumber", ["latest", false]);
  const blocks = Number(BigInt(latest.number) - firstBlock);
  if (mode === "automine" && blocks < sent) throw new Error(`${sent} transfers in ${blocks} blocks: not a block per transfer`);
  const parent = await d.request("eth_getBlockByNumber", [`0x${(BigInt(latest.number) - 1n).toString(16)}`, false]);
  const stateRoots = Boolean(latest.stateRoot) && latest.stateRoot !== EMPTY_TRIE && latest.stateRoot !== parent.stateRoot;
  return { count: sent, elapsedMs, tps: (sent * 1000) / elapsedMs, capped, blocks, mines, stateRoots };
}

async function main() {
  if (workload === "warp") {
    if (devnetName !== "bitlayer") throw new Error("warp: Bitlayer only");
    const { createDevnet } = await importEngine();
    return { warpMs: await warpWithBatches(createDevnet, Number(countArg ?? 50)) };
  }
  const make = DEVNETS[devnetName];
  if (!make || !["automine", "batched"].includes(workload))
    throw new Error(`usage: inproc.js <${Object.keys(DEVNETS).join("|")}> <automine|batched|warp> [count] [capMs]`);
  const d = await make();
  try {
    return await transfers(d, workload, Number(countArg ?? 2000), Number(capArg ?? 30_000));
  } finally {
    await d.close();
  }
}

try {
  console.log(JSON.stringify(await main()));
  process.exit(0); // some peers keep timers alive after close
} catch (err) {
  if (process.env.BENCH_DEBUG) console.error(err);
  console.log(JSON.stringify({ error: String(err?.message ?? err).split("\n")[0] }));
  process.exit(1);
}
