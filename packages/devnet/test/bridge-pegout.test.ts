// Peg-outs through the devnet's Bitcoin bridge, seen as a user sees them: the L2 over HTTP (ethers and
// plain JSON-RPC), the simulated Bitcoin chain through its RPC server and the bitcoin-core client.
// A burn (the bridge's `withdraw`) from a dev account, from a key held in an ethers Wallet and from a
// contract; its life (initiated → anchored → finalized → paid, or through a broker); the Bitcoin
// payment checked output by output (exact sats, exact scripts of P2WPKH, P2WSH and P2TR regtest
// addresses), and its timing against the batch's Take; the batch's withdrawals root rebuilt from the
// events; fraud (invalidated, never paid or never reimbursed); bad input; and the listing by owner.
//
// Every devnet has a fixed genesis time and the mainnet preset (600 s Bitcoin blocks, anchored at 6
// confirmations, a 1008-block window): heights are asserted relative to the claim and its window.

import assert from "node:assert/strict";
import Client from "bitcoin-core";
import { address as baddress, script as bscript, opcodes, payments } from "bitcoinjs-lib";
import {
  Contract,
  ContractFactory,
  concat,
  getAddress,
  Interface,
  type InterfaceAbi,
  isError,
  JsonRpcProvider,
  type JsonRpcSigner,
  keccak256,
  Transaction,
  toBeHex,
  toQuantity,
  toUtf8Bytes,
  Wallet,
  zeroPadValue,
} from "ethers";
import {
  BITCOIN_BRIDGE,
  type BitcoinRpcServer,
  BRIDGE_RESERVE_WEI,
  type BridgeMode,
  createDevnet,
  type Devnet,
  type DevnetServer,
  startBitcoinServer,
  startServer,
} from "../src/index.js";
import { ECPair } from "./support/bitcoin.js";
import type { AccountingView as Accounting, BridgeInfo, WithdrawalView } from "./support/bridge-user.js";
import {
  type BitcoinBatch,
  type BitcoinRpc,
  bitcoinBatch,
  bitcoinRpc,
  CONFIRMATIONS,
  GENESIS_TIMESTAMP,
  parseClaimData,
  rebuildCommitment,
  regtest,
  sats,
  type VerboseTx,
  WINDOW_BLOCKS,
} from "./support/claims.js";
import { getContract } from "./support/solc.js";

// ---------------------------------------------------------------------------------------------------
// Constants and addresses

const BRIDGE = getAddress(BITCOIN_BRIDGE.address);
const WEI_PER_SAT = 10n ** 10n;
const FEE_SATS = 1000n;
const ZERO_ROOT = `0x${"00".repeat(32)}`;
const WEEK = 7 * 24 * 3600;

const bridgeInterface = new Interface(BITCOIN_BRIDGE.abi);
const initiatedTopic = bridgeInterface.getEvent("WithdrawalInitiated")?.topicHash as string;

/** Regtest addresses of keys only this test holds: one of each kind the bridge pays. */
const keyA = ECPair.fromPrivateKey(Buffer.alloc(32, 0x31));
const keyB = ECPair.fromPrivateKey(Buffer.alloc(32, 0x32));
const keyC = ECPair.fromPrivateKey(Buffer.alloc(32, 0x33));
const keyD = ECPair.fromPrivateKey(Buffer.alloc(32, 0x34));
const P2WPKH = payments.p2wpkh({ pubkey: keyA.publicKey, network: regtest }).address as string;
const P2WSH = payments.p2wsh({ redeem: { output: bscript.compile([keyB.publicKey, opcodes.OP_CHECKSIG]) }, network: regtest })
  .address as string;
const P2TR = payments.p2tr({ internalPubkey: keyC.publicKey.subarray(1, 33), network: regtest }).address as string;
const P2WPKH_2 = payments.p2wpkh({ pubkey: keyD.publicKey, network: regtest }).address as string;
/** A valid mainnet address (BIP173's test vector): the bridge pays regtest addresses only. */
const MAINNET = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

/** The output script of a regtest address, as bitcoinjs-lib makes it, 0x-hex. */
function scriptOf(address: string): string {
  return `0x${Buffer.from(baddress.toOutputScript(address, regtest)).toString("hex")}`;
}

/** The same script without the 0x (as Bitcoin RPC prints it). */
const rawScript = (address: string) => scriptOf(address).slice(2);

// ---------------------------------------------------------------------------------------------------
// What the RPC answers (the fields read here)

interface RefView {
  txid: string;
  height: number | null;
}

interface BatchView {
  index: number;
  status: string;
  firstBlock: string;
  lastBlock: string;
  preStateRoot: string;
  postStateRoot: string;
  transactionsRoot: string;
  withdrawalsRoot: string;
  commitment: string;
  claim: { txid: string; height: number | null; confirmations: number };
  anchoredAt: number | null;
  windowClosesAt: number | null;
  take: { txid: string; height: number | null } | null;
  disprove: { txid: string; height: number | null } | null;
  invalidated: string | null;
}

interface StatusView {
  time: number;
  bitcoin: { height: number; nextBlockAt: number; blockTime: number };
  halted: { reason: string } | null;
}

interface Receipt {
  transactionHash: string;
  blockNumber: string;
  status: string;
  from: string;
  gasUsed: string;
  effectiveGasPrice: string;
  logs: { address: string; topics: string[]; data: string; logIndex: string; blockNumber: string }[];
}

interface TxOut {
  value: number;
  confirmations: number;
  scriptPubKey: { hex: string; address?: string };
  coinbase: boolean;
}

/** A burn as its `WithdrawalInitiated` event tells it. */
interface Burn {
  id: string;
  index: bigint;
  from: string;
  btcAddress: string;
  scriptPubKey: string;
  amountSats: bigint;
  txHash: string;
  blockNumber: bigint;
  /** Wei the sender paid for gas. */
  gasCost: bigint;
}

/** getblock's answer at verbosity 2, the fields read here. */
interface BlockV2 {
  height: number;
  tx: VerboseTx[];
}

/** An output seen on Bitcoin: in a block (height) or in the mempool (height null). */
interface SeenOutput {
  txid: string;
  n: number;
  sats: bigint;
  script: string;
  height: number | null;
}

/** A JSON-RPC error answer, with its data (the devnet puts the revert data and the tx hash there). */
class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------
// The independent rebuild of a batch's withdrawals root (the rule documented in src/bridge/withdrawals.ts)

/**
 * keccak256 Merkle tree (an odd last node paired with itself) over leaves
 * keccak256(id ‖ amount as 8 bytes big-endian ‖ output script), in the L2's order; zeros when empty.
 */
function rebuildWithdrawalsRoot(burns: readonly { id: string; amountSats: bigint; scriptPubKey: string }[]): string {
  if (burns.length === 0) return ZERO_ROOT;
  let level = burns.map((b) => keccak256(concat([b.id, zeroPadValue(toBeHex(b.amountSats), 8), b.scriptPubKey])));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(keccak256(concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

/** The burns a list of logs records (the bridge's WithdrawalInitiated events), in order. */
function burnsOfLogs(logs: Receipt["logs"], txHash = "", gasCost = 0n): Burn[] {
  return logs
    .filter((l) => l.address.toLowerCase() === BRIDGE.toLowerCase() && l.topics[0] === initiatedTopic)
    .map((l) => {
      const parsed = bridgeInterface.parseLog(l);
      assert.ok(parsed, "a WithdrawalInitiated log parses with the bridge's ABI");
      return {
        id: parsed.args.id as string,
        index: parsed.args.index as bigint,
        from: (parsed.args.from as string).toLowerCase(),
        btcAddress: parsed.args.btcAddress as string,
        scriptPubKey: parsed.args.scriptPubKey as string,
        amountSats: parsed.args.amountSats as bigint,
        txHash: txHash || (l as { transactionHash?: string }).transactionHash || "",
        blockNumber: BigInt(l.blockNumber),
        gasCost,
      };
    });
}

// ---------------------------------------------------------------------------------------------------
// One devnet with both servers

class PegoutNet {
  readonly provider: JsonRpcProvider;
  readonly btc: BitcoinRpc;
  readonly btcBatch: BitcoinBatch;
  private nextId = 0;
  private readonly prevScripts = new Map<string, string[]>();
  /** Bitcoin blocks already read (getblock verbosity 2), by hash. */
  private readonly blocks = new Map<string, BlockV2>();

  constructor(
    readonly devnet: Devnet,
    readonly l2Server: DevnetServer,
    readonly btcServer: BitcoinRpcServer,
  ) {
    this.provider = new JsonRpcProvider(l2Server.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const client = new Client({ host: btcServer.url, username: "devnet", password: "devnet" });
    this.btc = bitcoinRpc(client);
    this.btcBatch = bitcoinBatch(client);
  }

  async close(): Promise<void> {
    this.provider.destroy();
    await this.btcServer.close();
    await this.l2Server.close();
    await this.devnet.close();
  }

  /** One L2 JSON-RPC call over HTTP; an error answer is thrown as an RpcFailure (code, message, data). */
  async rpc<T>(method: string, ...params: unknown[]): Promise<T> {
    const res = await fetch(this.l2Server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.nextId, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
    if (body.error) throw new RpcFailure(body.error.code, body.error.message, body.error.data);
    return body.result as T;
  }

  /** The error an L2 call is answered with. */
  async rpcFailure(method: string, ...params: unknown[]): Promise<RpcFailure> {
    try {
      const answer = await this.rpc(method, ...params);
      assert.fail(`${method} answered ${JSON.stringify(answer)?.slice(0, 200)}; expected an error`);
    } catch (error) {
      if (!(error instanceof RpcFailure)) throw error;
      return error;
    }
  }

  address(i: number): string {
    return this.devnet.accounts[i].address;
  }

  signer(i: number): Promise<JsonRpcSigner> {
    return this.provider.getSigner(this.address(i));
  }

  info(): Promise<BridgeInfo> {
    return this.rpc<BridgeInfo>("bitlayer_bridgeInfo");
  }

  status(): Promise<StatusView> {
    return this.rpc<StatusView>("bitlayer_status");
  }

  batch(index: number): Promise<BatchView> {
    return this.rpc<BatchView>("bitlayer_getBatch", index);
  }

  withdrawal(key: string): Promise<WithdrawalView | null> {
    return this.rpc<WithdrawalView | null>("bitlayer_getWithdrawal", key);
  }

  list(owner?: string): Promise<WithdrawalView[]> {
    return this.rpc<WithdrawalView[]>("bitlayer_listWithdrawals", ...(owner === undefined ? [] : [owner]));
  }

  accounting(): Promise<Accounting> {
    return this.rpc<Accounting>("bitlayer_bridgeAccounting");
  }

  async balance(address: string): Promise<bigint> {
    return BigInt(await this.rpc<string>("eth_getBalance", address, "latest"));
  }

  async nonce(address: string): Promise<number> {
    return Number(await this.rpc<string>("eth_getTransactionCount", address, "latest"));
  }

  async blockNumber(): Promise<number> {
    return Number(await this.rpc<string>("eth_blockNumber"));
  }

  /** The bridge contract's totals, read with eth_call through ethers. */
  async bridgeTotals(): Promise<{ burned: bigint; count: bigint; balance: bigint }> {
    const bridge = new Contract(BRIDGE, BITCOIN_BRIDGE.abi, this.provider);
    return {
      burned: (await bridge.totalBurnedSats()) as bigint,
      count: (await bridge.withdrawalCount()) as bigint,
      balance: await this.balance(BRIDGE),
    };
  }

  bitcoinHeight(): Promise<number> {
    return this.btc<number>("getblockcount");
  }

  /** Warps (bitlayer_warp by seconds) until Bitcoin is exactly at `height`. */
  async warpToHeight(height: number): Promise<void> {
    const s = await this.status();
    const blocks = height - s.bitcoin.height;
    assert.ok(blocks >= 1, `Bitcoin is already at ${s.bitcoin.height}, not below ${height}`);
    await this.rpc("bitlayer_warp", s.bitcoin.nextBlockAt + (blocks - 1) * s.bitcoin.blockTime - s.time);
    assert.equal(await this.bitcoinHeight(), height);
  }

  async warpBlocks(count: number): Promise<void> {
    await this.warpToHeight((await this.bitcoinHeight()) + count);
  }

  /** The burns a mined, successful transaction made (the bridge's WithdrawalInitiated events), in order. */
  async burnsOf(txHash: string): Promise<Burn[]> {
    const receipt = await this.rpc<Receipt>("eth_getTransactionReceipt", txHash);
    assert.ok(receipt, `transaction ${txHash} is mined`);
    assert.equal(receipt.status, "0x1", `transaction ${txHash} succeeded`);
    return burnsOfLogs(receipt.logs, txHash, BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice));
  }

  /** The burn a mined, successful transaction made (exactly one). */
  async burnOf(txHash: string): Promise<Burn> {
    const burns = await this.burnsOf(txHash);
    assert.equal(burns.length, 1, "one WithdrawalInitiated event");
    return burns[0];
  }

  /** A peg-out by eth_sendTransaction from dev account `i` (the node signs). */
  async withdrawFromAccount(i: number, btcAddress: string, amountSats: bigint): Promise<Burn> {
    const hash = await this.rpc<string>("eth_sendTransaction", {
      from: this.address(i),
      to: BRIDGE,
      value: toQuantity(amountSats * WEI_PER_SAT),
      data: bridgeInterface.encodeFunctionData("withdraw", [btcAddress]),
    });
    return this.burnOf(hash);
  }

  /** A peg-out signed here with an ethers Wallet and sent raw (eth_sendRawTransaction). */
  async withdrawSigned(wallet: Wallet, btcAddress: string, amountSats: bigint): Promise<Burn> {
    const request = await wallet.connect(this.provider).populateTransaction({
      to: BRIDGE,
      value: amountSats * WEI_PER_SAT,
      data: bridgeInterface.encodeFunctionData("withdraw", [btcAddress]),
    });
    const raw = await wallet.signTransaction(request);
    const hash = await this.rpc<string>("eth_sendRawTransaction", raw);
    assert.equal(hash, Transaction.from(raw).hash);
    return this.burnOf(hash);
  }

  /** A peg-out made by the PegoutRelay contract, called by dev account `caller`. */
  async withdrawThroughRelay(relay: Contract, caller: number, btcAddress: string, amountSats: bigint): Promise<Burn> {
    const c = relay.connect(await this.signer(caller)) as Contract;
    const tx = await c.pegOut(btcAddress, { value: amountSats * WEI_PER_SAT });
    const receipt = await tx.wait();
    const burn = await this.burnOf(receipt.hash);
    const relayed = receipt.logs.map((l: { topics: string[]; data: string }) => relay.interface.parseLog(l)).find(Boolean);
    assert.equal(relayed?.args.id, burn.id, "the bridge's withdraw returned the event's id to the contract");
    return burn;
  }

  /** An ethers Wallet with a fixed key, funded with `wei` by dev account 0. */
  async fundedWallet(label: string, wei: bigint): Promise<Wallet> {
    const wallet = new Wallet(keccak256(toUtf8Bytes(`t-pegout/${label}`)));
    await this.rpc("eth_sendTransaction", { from: this.address(0), to: wallet.address, value: toQuantity(wei) });
    assert.equal(await this.balance(wallet.address), wei);
    return wallet;
  }

  async deployRelay(deployer = 0): Promise<Contract> {
    const { abi, bytecode } = getContract("PegoutRelay");
    const factory = new ContractFactory(abi as InterfaceAbi, bytecode, await this.signer(deployer));
    const relay = await factory.deploy();
    await relay.waitForDeployment();
    return relay as Contract;
  }

  /** Every output in Bitcoin blocks `from`..tip (getblock verbosity 2, in batches) and in the mempool. */
  async outputsSince(from: number): Promise<{ outputs: SeenOutput[]; txs: (VerboseTx & { height: number | null })[] }> {
    const tip = await this.bitcoinHeight();
    const outputs: SeenOutput[] = [];
    const txs: (VerboseTx & { height: number | null })[] = [];
    const take = (tx: VerboseTx, height: number | null) => {
      txs.push({ ...tx, height });
      for (const o of tx.vout) outputs.push({ txid: tx.txid, n: o.n, sats: sats(o.value), script: o.scriptPubKey.hex, height });
    };
    for (let start = from; start <= tip; start += 250) {
      const heights = Array.from({ length: Math.min(250, tip - start + 1) }, (_, i) => start + i);
      const hashes = await this.btcBatch<string>(heights.map((h) => ["getblockhash", h] as const));
      // Blocks are read once (by hash: a block's content never changes), at verbosity 2.
      const missing = hashes.filter((h) => !this.blocks.has(h));
      const read = missing.length === 0 ? [] : await this.btcBatch<BlockV2>(missing.map((h) => ["getblock", h, 2] as const));
      for (const [i, block] of read.entries()) this.blocks.set(missing[i], block);
      for (const hash of hashes) {
        const block = this.blocks.get(hash) as BlockV2;
        for (const tx of block.tx) take(tx, block.height);
      }
    }
    for (const txid of await this.btc<string[]>("getrawmempool")) take(await this.btc<VerboseTx>("getrawtransaction", txid, true), null);
    return { outputs, txs };
  }

  /** Outputs paying `address` since Bitcoin block `from` (mempool included). */
  async paymentsTo(address: string, from: number): Promise<SeenOutput[]> {
    return (await this.paymentsToEach([address], from))[0];
  }

  /** Outputs paying each of `addresses` since Bitcoin block `from` (mempool included), in one scan. */
  async paymentsToEach(addresses: readonly string[], from: number): Promise<SeenOutput[][]> {
    const { outputs } = await this.outputsSince(from);
    return addresses.map((address) => outputs.filter((o) => o.script === rawScript(address)));
  }

  /** The scripts of the outputs a transaction's inputs spend (looked up with getrawtransaction). */
  async inputScripts(tx: VerboseTx): Promise<string[]> {
    const cached = this.prevScripts.get(tx.txid);
    if (cached) return cached;
    const scripts: string[] = [];
    for (const input of tx.vin) {
      if (input.coinbase !== undefined) continue;
      const prev = await this.btc<VerboseTx>("getrawtransaction", input.txid, true);
      scripts.push(prev.vout[input.vout as number].scriptPubKey.hex);
    }
    this.prevScripts.set(tx.txid, scripts);
    return scripts;
  }

  /** Transactions since block `from` (mempool included) that spend coins of `address`. */
  async spendersOf(address: string, from: number): Promise<string[]> {
    const { txs } = await this.outputsSince(from);
    const found: string[] = [];
    for (const tx of txs) if ((await this.inputScripts(tx)).includes(rawScript(address))) found.push(tx.txid);
    return found;
  }
}

/** Asserts everything a withdrawal view says about its burn, and the status and batch it is at. */
function assertView(view: WithdrawalView | null, burn: Burn, status: string, batch: number | null): asserts view is WithdrawalView {
  assert.ok(view, `withdrawal ${burn.id} is known`);
  assert.equal(view.id, burn.id);
  assert.equal(view.index, toQuantity(burn.index));
  assert.equal(view.status, status, `withdrawal ${burn.index}'s status`);
  assert.equal(view.from.toLowerCase(), burn.from);
  assert.equal(view.btcAddress, burn.btcAddress);
  assert.equal(view.scriptPubKey, burn.scriptPubKey);
  assert.equal(view.amountSats, Number(burn.amountSats));
  assert.equal(view.feeSats, Number(FEE_SATS));
  assert.equal(view.paidSats, Number(burn.amountSats - FEE_SATS));
  assert.equal(view.transactionHash, burn.txHash);
  assert.equal(view.blockNumber, toQuantity(burn.blockNumber));
  assert.equal(view.batch, batch);
}

/** getrawtransaction's output paying `address`: exactly one, checked against bitcoinjs-lib's script. */
function outputTo(tx: VerboseTx, address: string): VerboseTx["vout"][number] {
  const outs = tx.vout.filter((o) => o.scriptPubKey.hex === rawScript(address));
  assert.equal(outs.length, 1, `transaction ${tx.txid} has exactly one output to ${address}`);
  assert.equal(outs[0].scriptPubKey.address, address);
  return outs[0];
}

// ---------------------------------------------------------------------------------------------------

describe("bridge: peg-outs paid on Bitcoin after hard finality, through a broker, refused, invalidated, listed", function () {
  this.timeout(120_000);
  const nets: PegoutNet[] = [];

  async function startNet(mode: BridgeMode = "standard"): Promise<PegoutNet> {
    const devnet = await createDevnet({ genesisTimestamp: GENESIS_TIMESTAMP, bridge: { mode } });
    const l2Server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
    const btcServer = await startBitcoinServer(devnet, { host: "127.0.0.1", port: 0 });
    const net = new PegoutNet(devnet, l2Server, btcServer);
    nets.push(net);
    const info = await net.info();
    assert.equal(info.mode, mode);
    assert.equal(info.withdrawalFeeSats, Number(FEE_SATS));
    assert.equal(info.minWithdrawalSats, 2000);
    assert.equal(BigInt(info.weiPerSat), WEI_PER_SAT);
    assert.equal(getAddress(info.bridge), BRIDGE);
    return net;
  }

  afterEach(async () => {
    for (const net of nets.splice(0)) await net.close();
  });

  it("uses the address kinds it says: P2WPKH, P2WSH (bech32) and P2TR (bech32m) on regtest", () => {
    assert.match(P2WPKH, /^bcrt1q[a-z0-9]{38}$/);
    assert.match(P2WSH, /^bcrt1q[a-z0-9]{58}$/);
    assert.match(P2TR, /^bcrt1p[a-z0-9]{58}$/);
    assert.match(scriptOf(P2WPKH), /^0x0014[0-9a-f]{40}$/);
    assert.match(scriptOf(P2WSH), /^0x0020[0-9a-f]{64}$/);
    assert.match(scriptOf(P2TR), /^0x5120[0-9a-f]{64}$/);
  });

  it("standard: peg-outs from a dev account, an ethers Wallet and a contract go initiated → anchored → finalized → paid, not one block before the Take, within one block after it", async () => {
    const net = await startNet();
    const info = await net.info();
    const h0 = await net.bitcoinHeight();
    const wallet = await net.fundedWallet("standard", 10n ** 18n);
    const relay = await net.deployRelay(2);
    const relayAddress = (await relay.getAddress()).toLowerCase();
    const totals0 = await net.bridgeTotals();
    const account0 = await net.balance(net.address(0));
    const walletBalance = await net.balance(wallet.address);

    const burns = [
      await net.withdrawFromAccount(0, P2WPKH, 5_000n),
      await net.withdrawSigned(wallet, P2WSH, 123_456n),
      await net.withdrawThroughRelay(relay, 3, P2TR, 2_000_000n),
    ];
    const expected = [
      { from: net.address(0).toLowerCase(), address: P2WPKH },
      { from: wallet.address.toLowerCase(), address: P2WSH },
      { from: relayAddress, address: P2TR },
    ];
    const total = burns.reduce((s, b) => s + b.amountSats, 0n);
    burns.forEach((b, i) => {
      assert.equal(b.index, BigInt(i), "indexes count withdrawals from 0");
      assert.equal(b.from, expected[i].from, "the event names the L2 sender (the contract, for the relay)");
      assert.equal(b.btcAddress, expected[i].address);
      assert.equal(b.scriptPubKey, scriptOf(expected[i].address), "the contract parses the address as bitcoinjs-lib does");
      assert.match(b.id, /^0x[0-9a-f]{64}$/);
    });
    assert.equal(new Set(burns.map((b) => b.id)).size, 3, "ids are distinct");

    // The burn: the value left the senders and is back in the bridge's reserve; the contract counts it.
    assert.equal(await net.balance(net.address(0)), account0 - 5_000n * WEI_PER_SAT - burns[0].gasCost);
    assert.equal(await net.balance(wallet.address), walletBalance - 123_456n * WEI_PER_SAT - burns[1].gasCost);
    assert.equal(await net.balance(relayAddress), 0n, "the relay keeps nothing");
    const totals1 = await net.bridgeTotals();
    assert.equal(totals1.burned, totals0.burned + total);
    assert.equal(totals1.count, totals0.count + 3n);
    assert.equal(totals1.balance, totals0.balance + total * WEI_PER_SAT);
    assert.equal(totals0.balance, BRIDGE_RESERVE_WEI, "no burn before these");

    // Initiated: by id and by L2 transaction hash, the same view; no batch yet.
    for (const b of burns) {
      const byId = await net.withdrawal(b.id);
      assertView(byId, b, "initiated", null);
      assert.deepEqual(await net.withdrawal(b.txHash), byId);
      assert.equal(byId.payment, null);
      assert.equal(byId.paidBy, null);
    }

    // The next Bitcoin block seals them into batch 0 and claims it: still initiated (claimed, not anchored).
    await net.warpToHeight(h0 + 1);
    let batch = await net.batch(0);
    assert.equal(batch.claim.height, h0 + 1);
    assert.equal(batch.windowClosesAt, h0 + 1 + WINDOW_BLOCKS);
    for (const b of burns) assertView(await net.withdrawal(b.id), b, "initiated", 0);

    // Anchored at the claim's 6th confirmation.
    await net.rpc("bitlayer_warp", { until: "anchored", tx: burns[2].txHash });
    assert.equal(await net.bitcoinHeight(), h0 + CONFIRMATIONS);
    for (const b of burns) assertView(await net.withdrawal(b.id), b, "anchored", 0);

    // One Bitcoin block before the Take: not paid, nothing to the addresses on Bitcoin (blocks or mempool).
    const takeHeight = batch.windowClosesAt as number;
    await net.warpToHeight(takeHeight - 1);
    batch = await net.batch(0);
    assert.equal(batch.take, null);
    for (const b of burns) {
      const view = await net.withdrawal(b.id);
      assertView(view, b, "anchored", 0);
      assert.equal(view.payment, null);
    }
    const addresses = expected.map((e) => e.address);
    assert.deepEqual(await net.paymentsToEach(addresses, h0), [[], [], []], "nothing paid to the addresses yet");
    let books = await net.accounting();
    assert.equal(books.outstandingSats, Number(total));
    assert.equal(books.bitcoin.paidOutSats, 0);
    assert.ok(books.bitcoin.holds && books.l2.holds);

    // The Take's block: the batch is hard final, the withdrawals finalized, the payment not yet mined.
    await net.warpToHeight(takeHeight);
    batch = await net.batch(0);
    assert.equal(batch.take?.height, takeHeight, "the Take is mined as the window closes");
    assert.equal(batch.status, "final");
    for (const b of burns) {
      const view = await net.withdrawal(b.id);
      assertView(view, b, "finalized", 0);
      assert.equal(view.payment, null);
    }
    assert.deepEqual(await net.paymentsToEach(addresses, h0), [[], [], []], "still nothing in the Take's block or the mempool");

    // The next block: paid, one transaction for the batch.
    await net.warpToHeight(takeHeight + 1);
    const views = await Promise.all(burns.map((b) => net.withdrawal(b.id)));
    burns.forEach((b, i) => {
      assertView(views[i], b, "paid", 0);
      assert.equal(views[i]?.paidBy, "bridge");
      assert.equal(views[i]?.reimbursement, null);
      assert.equal(views[i]?.invalidated, null);
      assert.deepEqual(views[i]?.payment, views[0]?.payment, "one payout transaction for the batch");
    });
    const payment = views[0]?.payment as RefView;
    assert.equal(payment.height, takeHeight + 1, "paid in the block after the Take");
    const payout = await net.btc<VerboseTx>("getrawtransaction", payment.txid, true);
    assert.equal(payout.blockhash, await net.btc<string>("getblockhash", takeHeight + 1));
    assert.equal(payout.confirmations, 1);
    let paidOut = 0n;
    for (const [i, b] of burns.entries()) {
      const out = outputTo(payout, expected[i].address);
      assert.equal(sats(out.value), b.amountSats - FEE_SATS, `${expected[i].address} gets the amount less the 1000-sat fee`);
      paidOut += sats(out.value);
      const utxo = await net.btc<TxOut>("gettxout", payment.txid, out.n);
      assert.ok(utxo, "the payment is unspent");
      assert.equal(sats(utxo.value), b.amountSats - FEE_SATS);
      assert.equal(utxo.scriptPubKey.hex, rawScript(expected[i].address));
      assert.equal(utxo.confirmations, 1);
      assert.equal(utxo.coinbase, false);
    }
    // The rest is change to the bridge; every input is the bridge's; the fee is exactly 1000 sats a withdrawal.
    const others = payout.vout.filter((o) => !expected.some((e) => o.scriptPubKey.hex === rawScript(e.address)));
    assert.ok(
      others.every((o) => o.scriptPubKey.address === info.bitcoinAddress),
      "the other outputs are the bridge's change",
    );
    const inputs = await net.inputScripts(payout);
    assert.ok(inputs.length >= 1 && inputs.every((s) => s === rawScript(info.bitcoinAddress)), "the bridge's coins pay");
    let inValue = 0n;
    for (const input of payout.vin) {
      const prev = await net.btc<VerboseTx>("getrawtransaction", input.txid, true);
      inValue += sats(prev.vout[input.vout as number].value);
    }
    const outValue = payout.vout.reduce((s, o) => s + sats(o.value), 0n);
    assert.equal(inValue - outValue, FEE_SATS * 3n);
    assert.equal(paidOut, total - 3n * FEE_SATS);
    assert.equal(await net.rpc("bitlayer_getDeposit", payment.txid), null, "the bridge's change is not a peg-in");

    // Paid once: 20 blocks later, still exactly one output to each address, unspent.
    await net.warpBlocks(20);
    const seenEach = await net.paymentsToEach(addresses, h0);
    for (const [i, b] of burns.entries()) {
      const seen = seenEach[i];
      assert.equal(seen.length, 1, `one payment to ${expected[i].address}`);
      assert.deepEqual(seen[0], {
        txid: payment.txid,
        n: seen[0].n,
        sats: b.amountSats - FEE_SATS,
        script: rawScript(expected[i].address),
        height: takeHeight + 1,
      });
      assert.equal((await net.btc<TxOut>("gettxout", payment.txid, seen[0].n)).confirmations, 21);
      assertView(await net.withdrawal(b.txHash), b, "paid", 0);
    }
    books = await net.accounting();
    assert.equal(books.outstandingSats, 0);
    assert.equal(books.bitcoin.paidOutSats, Number(total));
    assert.equal(books.bitcoin.lockedSats, books.bitcoin.genesisReserveSats - Number(total));
    assert.equal(books.bitcoin.unmintableSats, 0);
    assert.equal(books.l2.burnedSats, Number(total));
    assert.ok(books.bitcoin.holds && books.l2.holds);
  });

  it("commits each batch's withdrawals in its withdrawalsRoot, as rebuilt from the events (zeros without withdrawals)", async () => {
    const net = await startNet();
    const h0 = await net.bitcoinHeight();
    const relay = await net.deployRelay(0);
    // Batch 0: a transfer, a deployment and a refused withdrawal (mined, reverted): no withdrawals.
    await net.rpc("eth_sendTransaction", { from: net.address(0), to: net.address(1), value: "0x1" });
    const refused = await net.rpcFailure("eth_sendTransaction", {
      from: net.address(0),
      to: BRIDGE,
      value: toQuantity(1999n * WEI_PER_SAT),
      data: bridgeInterface.encodeFunctionData("withdraw", [P2WPKH]),
      gas: "0x493e0",
    });
    const refusedHash = (refused.data as { txHash: string }).txHash;
    assert.equal((await net.rpc<Receipt>("eth_getTransactionReceipt", refusedHash)).status, "0x0");
    await net.warpToHeight(h0 + 1);

    // Batch 1: three withdrawals (an odd count: the last node is paired with itself), one through the relay.
    const batch1 = [
      await net.withdrawFromAccount(0, P2WPKH, 2_000n),
      await net.withdrawThroughRelay(relay, 1, P2TR, 3_000n),
      await net.withdrawFromAccount(2, P2WSH.toUpperCase(), 4_000n),
    ];
    await net.warpToHeight(h0 + 2);

    // Batch 2: one L2 block with three transactions and four withdrawals (the relay makes two in one call).
    await net.rpc("evm_setAutomine", false);
    const send = (from: number, to: string, sats: bigint, data: string) =>
      net.rpc<string>("eth_sendTransaction", {
        from: net.address(from),
        to,
        value: toQuantity(sats * WEI_PER_SAT),
        data,
        gas: toQuantity(500_000),
      });
    const hashes = [
      await send(3, BRIDGE, 10_000n, bridgeInterface.encodeFunctionData("withdraw", [P2TR])),
      await send(
        1,
        await relay.getAddress(),
        8_000n,
        relay.interface.encodeFunctionData("pegOutTwice", [P2WPKH_2, 3_000n * WEI_PER_SAT, P2WSH]),
      ),
      await send(4, BRIDGE, 20_000n, bridgeInterface.encodeFunctionData("withdraw", [P2WPKH_2])),
    ];
    await net.rpc("evm_mine");
    await net.rpc("evm_setAutomine", true);
    const twice = await net.burnsOf(hashes[1]);
    assert.deepEqual(
      twice.map((b) => [b.btcAddress, b.amountSats]),
      [
        [P2WPKH_2, 3_000n],
        [P2WSH, 5_000n],
      ],
    );
    const batch2 = [await net.burnOf(hashes[0]), ...twice, await net.burnOf(hashes[2])];
    assert.equal(new Set(batch2.map((b) => b.blockNumber)).size, 1, "all in one L2 block");
    // The leaves' order is the order the L2 executed them in (the bridge's index counts it).
    batch2.sort((a, b) => Number(a.index - b.index));
    await net.warpToHeight(h0 + 3);

    // Batch 3: one withdrawal: the root is its leaf.
    const batch3 = [await net.withdrawFromAccount(5, P2WSH, 77_777n)];
    await net.warpToHeight(h0 + 4);

    const batches = await Promise.all([0, 1, 2, 3].map((i) => net.batch(i)));
    const logsRoots: string[] = [];
    for (const b of batches) {
      const logs = await net.rpc<(Receipt["logs"][number] & { transactionHash: string })[]>("eth_getLogs", {
        fromBlock: b.firstBlock,
        toBlock: b.lastBlock,
        address: BRIDGE,
        topics: [initiatedTopic],
      });
      const burns = burnsOfLogs(logs);
      assert.deepEqual(
        burns.map((b) => b.index),
        burns.map((b) => b.index).sort((x, y) => Number(x - y)),
        "the logs come in execution order",
      );
      logsRoots.push(rebuildWithdrawalsRoot(burns));
      assert.equal(b.withdrawalsRoot, rebuildWithdrawalsRoot(burns), `batch ${b.index}'s withdrawals root`);
      // The root is in the commitment the claim carries on Bitcoin.
      const commitment = rebuildCommitment({ ...b, firstBlock: BigInt(b.firstBlock), lastBlock: BigInt(b.lastBlock) });
      assert.equal(b.commitment, `0x${commitment.toString("hex")}`);
      const claim = await net.btc<VerboseTx>("getrawtransaction", b.claim.txid, true);
      const data = claim.vout.map((o) => parseClaimData(Buffer.from(o.scriptPubKey.hex, "hex"))).find(Boolean);
      assert.equal(data?.commitment.toString("hex"), commitment.toString("hex"));
      for (const burn of burns) assert.equal((await net.withdrawal(burn.id))?.batch, b.index);
    }
    assert.equal(batches[0].withdrawalsRoot, ZERO_ROOT, "a batch without withdrawals commits to zeros");
    assert.equal(batches[1].withdrawalsRoot, rebuildWithdrawalsRoot(batch1));
    assert.equal(batches[2].withdrawalsRoot, rebuildWithdrawalsRoot(batch2));
    assert.equal(
      batches[3].withdrawalsRoot,
      keccak256(concat([batch3[0].id, zeroPadValue(toBeHex(77_777n), 8), scriptOf(P2WSH)])),
      "one withdrawal: the root is its leaf",
    );
    assert.equal(batch1[2].scriptPubKey, scriptOf(P2WSH), "an uppercase address has the same script");
    assert.equal(new Set(logsRoots).size, 4);
  });

  it("broker: the broker pays the user within 1–2 Bitcoin blocks of the burn; the bridge reimburses it only once the batch is hard final", async () => {
    const net = await startNet("broker");
    const info = await net.info();
    const h0 = await net.bitcoinHeight();
    const relay = await net.deployRelay(0);
    const burns = [await net.withdrawFromAccount(1, P2TR, 250_000n), await net.withdrawThroughRelay(relay, 2, P2WPKH, 3_000n)];
    const users = [P2TR, P2WPKH];
    const total = burns.reduce((s, b) => s + b.amountSats, 0n);
    for (const b of burns) assertView(await net.withdrawal(b.id), b, "initiated", null);

    // The first Bitcoin block after the burn: the broker has paid the users, long before anchoring.
    await net.warpToHeight(h0 + 1);
    const views = await Promise.all(burns.map((b) => net.withdrawal(b.txHash)));
    const brokerPayment = views[0]?.payment as RefView;
    burns.forEach((b, i) => {
      assertView(views[i], b, "paid-by-broker", 0);
      assert.equal(views[i]?.paidBy, "broker");
      assert.equal(views[i]?.reimbursement, null);
      assert.deepEqual(views[i]?.payment, brokerPayment);
    });
    assert.ok(brokerPayment.height !== null && brokerPayment.height - h0 >= 1 && brokerPayment.height - h0 <= 2);
    const batch0 = await net.batch(0);
    assert.ok((batch0.anchoredAt as number) > (brokerPayment.height as number), "paid before the claim is anchored");
    const paid = await net.btc<VerboseTx>("getrawtransaction", brokerPayment.txid, true);
    assert.equal(paid.blockhash, await net.btc<string>("getblockhash", brokerPayment.height));
    for (const [i, b] of burns.entries()) {
      const out = outputTo(paid, users[i]);
      assert.equal(sats(out.value), b.amountSats - FEE_SATS);
      const utxo = await net.btc<TxOut>("gettxout", brokerPayment.txid, out.n);
      assert.equal(sats(utxo.value), b.amountSats - FEE_SATS);
      assert.equal(utxo.scriptPubKey.hex, rawScript(users[i]));
    }
    const brokerInputs = await net.inputScripts(paid);
    assert.ok(brokerInputs.length >= 1 && brokerInputs.every((s) => s === rawScript(info.brokerAddress)), "the broker's coins pay");

    // Anchored: the payment stands, no reimbursement.
    await net.rpc("bitlayer_warp", { until: "anchored", tx: burns[0].txHash });
    for (const b of burns) {
      const v = await net.withdrawal(b.id);
      assertView(v, b, "anchored", 0);
      assert.deepEqual(v.payment, brokerPayment);
      assert.equal(v.reimbursement, null);
    }

    // One block before the Take: the bridge has paid nothing to anyone (broker or users).
    const takeHeight = batch0.windowClosesAt as number;
    assert.equal(takeHeight, h0 + 1 + WINDOW_BLOCKS);
    await net.warpToHeight(takeHeight - 1);
    assert.deepEqual(await net.spendersOf(info.bitcoinAddress, h0), [], "no transaction spends the bridge's coins");
    const toBroker = await net.paymentsTo(info.brokerAddress, h0);
    assert.ok(
      toBroker.every((o) => o.txid === brokerPayment.txid),
      "the only output to the broker since the burn is its own change",
    );
    for (const b of burns) {
      const v = await net.withdrawal(b.id);
      assertView(v, b, "anchored", 0);
      assert.equal(v.reimbursement, null);
    }
    let books = await net.accounting();
    assert.equal(books.bitcoin.paidOutSats, 0);
    assert.equal(books.outstandingSats, Number(total));
    assert.ok(books.bitcoin.holds && books.l2.holds);

    // The Take's block: finalized, not yet reimbursed.
    await net.warpToHeight(takeHeight);
    assert.equal((await net.batch(0)).take?.height, takeHeight);
    for (const b of burns) {
      const v = await net.withdrawal(b.id);
      assertView(v, b, "finalized", 0);
      assert.equal(v.reimbursement, null);
    }

    // The next block: reimbursed, by the bridge, to the broker; the users still have exactly their one payment.
    await net.warpToHeight(takeHeight + 1);
    const after = await Promise.all(burns.map((b) => net.withdrawal(b.id)));
    const reimbursement = after[0]?.reimbursement as RefView;
    burns.forEach((b, i) => {
      assertView(after[i], b, "reimbursed", 0);
      assert.deepEqual(after[i]?.payment, brokerPayment, "the user's payment is still the broker's");
      assert.equal(after[i]?.paidBy, "broker");
      assert.deepEqual(after[i]?.reimbursement, reimbursement);
    });
    assert.equal(reimbursement.height, takeHeight + 1);
    const refund = await net.btc<VerboseTx>("getrawtransaction", reimbursement.txid, true);
    assert.equal(refund.blockhash, await net.btc<string>("getblockhash", takeHeight + 1));
    const toBrokerNow = refund.vout.filter((o) => o.scriptPubKey.address === info.brokerAddress);
    assert.deepEqual(
      toBrokerNow.map((o) => sats(o.value)).sort((a, b) => (a < b ? -1 : 1)),
      burns.map((b) => b.amountSats - FEE_SATS).sort((a, b) => (a < b ? -1 : 1)),
      "the broker gets back what it paid, withdrawal by withdrawal",
    );
    for (const o of toBrokerNow) assert.equal(sats((await net.btc<TxOut>("gettxout", reimbursement.txid, o.n)).value), sats(o.value));
    assert.ok(
      (await net.inputScripts(refund)).every((s) => s === rawScript(info.bitcoinAddress)),
      "the bridge's coins reimburse",
    );
    for (const user of users) assert.equal((await net.paymentsTo(user, h0)).length, 1, `${user} is paid once`);
    books = await net.accounting();
    assert.equal(books.bitcoin.paidOutSats, Number(total));
    assert.equal(books.outstandingSats, 0);
    assert.ok(books.bitcoin.holds && books.l2.holds);
  });

  it("fraud (standard): a withdrawal in a disproved batch is invalidated and never paid; the honest batch before it is paid", async () => {
    const net = await startNet();
    const h0 = await net.bitcoinHeight();
    const honest = await net.withdrawFromAccount(0, P2WPKH, 8_000n);
    await net.warpToHeight(h0 + 1);
    assert.deepEqual(await net.rpc("bitlayer_injectFraud"), { batch: 1 });
    const cheated = await net.withdrawFromAccount(1, P2TR, 60_000n);
    await net.warpToHeight(h0 + 2);
    assertView(await net.withdrawal(cheated.id), cheated, "initiated", 1);

    // Challenge, assert, disprove: the L2 halts and the withdrawal is invalidated.
    await net.warpBlocks(3);
    const batch1 = await net.batch(1);
    assert.equal(batch1.status, "disproved");
    assert.equal(batch1.disprove?.height, h0 + 5);
    assert.match((await net.status()).halted?.reason ?? "", /batch 1 was disproved/);
    let view = await net.withdrawal(cheated.txHash);
    assertView(view, cheated, "invalidated", 1);
    assert.match(view.invalidated ?? "", /disproved/);
    assert.equal(view.payment, null);
    const halted = await net.rpcFailure("eth_sendTransaction", { from: net.address(2), to: net.address(3), value: "0x1" });
    assert.match(halted.message, /halt/i);
    let books = await net.accounting();
    assert.ok(books.bitcoin.holds && books.l2.holds, "the books hold at the halt");
    assert.equal(books.outstandingSats, Number(honest.amountSats), "only the honest withdrawal is owed");

    // Well past the window of both batches: the honest one is paid, the invalidated one never.
    await net.rpc("bitlayer_warp", WEEK + 2 * 24 * 3600);
    assert.ok((await net.bitcoinHeight()) > (batch1.windowClosesAt as number) + 200);
    view = await net.withdrawal(cheated.id);
    assertView(view, cheated, "invalidated", 1);
    assert.equal(view.payment, null);
    assert.deepEqual(await net.paymentsTo(P2TR, h0), [], "nothing ever paid to the invalidated withdrawal's address");
    const honestView = await net.withdrawal(honest.id);
    assertView(honestView, honest, "paid", 0);
    const honestPaid = await net.paymentsTo(P2WPKH, h0);
    assert.equal(honestPaid.length, 1);
    assert.equal(honestPaid[0].sats, honest.amountSats - FEE_SATS);
    assert.equal(honestPaid[0].txid, honestView.payment?.txid);

    books = await net.accounting();
    assert.ok(books.bitcoin.holds, "the Bitcoin books hold");
    assert.ok(books.l2.holds);
    assert.equal(books.bitcoin.paidOutSats, Number(honest.amountSats));
    assert.equal(books.outstandingSats, 0, "an invalidated withdrawal is owed nothing");
    assert.deepEqual(
      (await net.list()).map((w) => [w.id, w.status]),
      [
        [honest.id, "paid"],
        [cheated.id, "invalidated"],
      ],
    );
  });

  it("fraud (broker): the broker's early payment stands, but it is never reimbursed for a disproved batch", async () => {
    const net = await startNet("broker");
    const info = await net.info();
    const h0 = await net.bitcoinHeight();
    assert.deepEqual(await net.rpc("bitlayer_injectFraud"), { batch: 0 });
    const burn = await net.withdrawFromAccount(0, P2WSH, 40_000n);
    await net.warpToHeight(h0 + 1);
    let view = await net.withdrawal(burn.id);
    assertView(view, burn, "paid-by-broker", 0);
    const brokerPayment = view.payment as RefView;
    assert.equal(brokerPayment.height, h0 + 1);

    await net.warpBlocks(3);
    assert.equal((await net.batch(0)).status, "disproved");
    assert.notEqual((await net.status()).halted, null);
    view = await net.withdrawal(burn.id);
    assertView(view, burn, "invalidated", 0);
    assert.deepEqual(view.payment, brokerPayment, "the broker's payment is still reported");
    let books = await net.accounting();
    assert.ok(books.bitcoin.holds && books.l2.holds, "the books hold at the halt");

    await net.rpc("bitlayer_warp", WEEK + 2 * 24 * 3600);
    view = await net.withdrawal(burn.id);
    assertView(view, burn, "invalidated", 0);
    assert.equal(view.reimbursement, null);
    // The broker's payment is on Bitcoin, unspent; the bridge never paid the broker (nor the user).
    const paid = await net.paymentsTo(P2WSH, h0);
    assert.equal(paid.length, 1);
    assert.deepEqual(paid[0], { txid: brokerPayment.txid, n: paid[0].n, sats: 39_000n, script: rawScript(P2WSH), height: h0 + 1 });
    assert.equal(sats((await net.btc<TxOut>("gettxout", brokerPayment.txid, paid[0].n)).value), 39_000n);
    assert.deepEqual(await net.spendersOf(info.bitcoinAddress, h0), [], "no transaction ever spends the bridge's coins");
    assert.ok(
      (await net.paymentsTo(info.brokerAddress, h0)).every((o) => o.txid === brokerPayment.txid),
      "only the broker's change",
    );

    books = await net.accounting();
    assert.ok(books.bitcoin.holds, "the Bitcoin books hold");
    assert.ok(books.l2.holds);
    assert.equal(books.bitcoin.paidOutSats, 0);
    assert.equal(books.bitcoin.lockedSats, books.bitcoin.genesisReserveSats, "the bridge's BTC is untouched");
    assert.equal(books.outstandingSats, 0);
  });

  it("refuses bad input to withdraw with a clear revert reason, and no balance changes (but gas when mined)", async () => {
    const net = await startNet();
    const signer = await net.signer(0);
    const sender = net.address(0);
    const bridge = new Contract(BRIDGE, BITCOIN_BRIDGE.abi, signer);
    const badChecksum = `${P2WPKH.slice(0, -1)}${P2WPKH.endsWith("q") ? "p" : "q"}`;
    const cases = [
      { what: "a bad checksum", address: badChecksum, wei: 5_000n * WEI_PER_SAT, reason: "invalid Bitcoin address: bad checksum" },
      { what: "a mainnet address", address: MAINNET, wei: 5_000n * WEI_PER_SAT, reason: "invalid Bitcoin address: not a regtest address" },
      { what: "an empty address", address: "", wei: 5_000n * WEI_PER_SAT, reason: "invalid Bitcoin address: empty" },
      {
        what: "a mixed-case address",
        address: `${P2TR.slice(0, 10)}${P2TR.slice(10).toUpperCase()}`,
        wei: 5_000n * WEI_PER_SAT,
        reason: "invalid Bitcoin address: mixed case",
      },
      {
        what: "dust (1999 sats)",
        address: P2WPKH,
        wei: 1_999n * WEI_PER_SAT,
        reason: "amount below the minimum withdrawal of 2000 sats (the 1000-sat fee plus more than dust)",
      },
      { what: "fractional sats", address: P2TR, wei: 5_000n * WEI_PER_SAT + 1n, reason: "amount is not a whole number of sats" },
    ];

    for (const c of cases) {
      const totals = await net.bridgeTotals();
      const balance = await net.balance(sender);
      const nonce = await net.nonce(sender);
      const height = await net.blockNumber();

      // Through ethers (estimateGas first): refused with the reason, nothing sent.
      await assert.rejects(bridge.withdraw(c.address, { value: c.wei }), (e: unknown) => {
        assert.ok(isError(e, "CALL_EXCEPTION"), `${c.what}: ${String(e)}`);
        assert.equal(e.reason, `BitcoinBridge: ${c.reason}`, c.what);
        return true;
      });
      assert.equal(await net.nonce(sender), nonce);
      assert.equal(await net.balance(sender), balance, `${c.what}: the sender's balance is unchanged`);
      assert.equal(await net.blockNumber(), height, "nothing mined");
      assert.deepEqual(await net.bridgeTotals(), totals);

      // Sent with a gas limit: mined and reverted; only the gas is paid.
      const failure = await net.rpcFailure("eth_sendTransaction", {
        from: sender,
        to: BRIDGE,
        value: toQuantity(c.wei),
        data: bridgeInterface.encodeFunctionData("withdraw", [c.address]),
        gas: toQuantity(300_000),
      });
      const data = failure.data as { txHash: string; data: string };
      assert.equal(bridgeInterface.parseError(data.data)?.args[0], `BitcoinBridge: ${c.reason}`, `${c.what}: the mined revert's reason`);
      const receipt = await net.rpc<Receipt>("eth_getTransactionReceipt", data.txHash);
      assert.equal(receipt.status, "0x0");
      assert.deepEqual(receipt.logs, []);
      const gas = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
      assert.equal(await net.balance(sender), balance - gas, `${c.what}: only the gas was paid`);
      assert.deepEqual(await net.bridgeTotals(), totals, `${c.what}: the bridge burned nothing`);
      assert.equal(await net.withdrawal(data.txHash), null);
    }

    // More than the sender holds: refused before anything is mined (ethers, eth_estimateGas, eth_sendTransaction, raw).
    const poor = await net.fundedWallet("poor", 10n ** 16n);
    const tooMuch = 2_000_000n * WEI_PER_SAT;
    const totals = await net.bridgeTotals();
    const height = await net.blockNumber();
    await assert.rejects((bridge.connect(poor.connect(net.provider)) as Contract).withdraw(P2WPKH, { value: tooMuch }), (e: unknown) =>
      isError(e, "INSUFFICIENT_FUNDS"),
    );
    const call = {
      from: poor.address,
      to: BRIDGE,
      value: toQuantity(tooMuch),
      data: bridgeInterface.encodeFunctionData("withdraw", [P2WPKH]),
    };
    assert.match((await net.rpcFailure("eth_estimateGas", call)).message, /insufficient funds/);
    const raw = await poor.signTransaction({
      ...(await poor.connect(net.provider).populateTransaction({ ...call, gasLimit: 200_000n })),
      value: tooMuch,
    });
    assert.match((await net.rpcFailure("eth_sendRawTransaction", raw)).message, /insufficient funds/);
    const rich = await net.balance(sender);
    const all = { from: sender, to: BRIDGE, value: toQuantity(rich + 1n), data: call.data };
    assert.match((await net.rpcFailure("eth_sendTransaction", all)).message, /insufficient funds/);
    assert.match((await net.rpcFailure("eth_estimateGas", all)).message, /insufficient funds/);
    assert.equal(await net.balance(poor.address), 10n ** 16n);
    assert.equal(await net.nonce(poor.address), 0);
    assert.equal(await net.balance(sender), rich);
    assert.equal(await net.blockNumber(), height);
    assert.deepEqual(await net.bridgeTotals(), totals);

    // A plain transfer to the bridge (no data): it has no receive, so it is refused.
    const balance = await net.balance(sender);
    await assert.rejects(signer.sendTransaction({ to: BRIDGE, value: 5_000n * WEI_PER_SAT }), (e: unknown) => isError(e, "CALL_EXCEPTION"));
    assert.equal(await net.balance(sender), balance);
    const plain = await net.rpcFailure("eth_sendTransaction", {
      from: sender,
      to: BRIDGE,
      value: toQuantity(5_000n * WEI_PER_SAT),
      gas: toQuantity(100_000),
    });
    const plainHash = (plain.data as { txHash: string }).txHash;
    const receipt = await net.rpc<Receipt>("eth_getTransactionReceipt", plainHash);
    assert.equal(receipt.status, "0x0");
    assert.equal(await net.balance(sender), balance - BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice));
    assert.deepEqual(await net.bridgeTotals(), totals);

    // Nothing was recorded; and the smallest valid withdrawal (exactly 2000 sats) goes through.
    assert.deepEqual(await net.list(), []);
    const ok = await net.withdrawFromAccount(0, P2WPKH, 2_000n);
    assertView(await net.withdrawal(ok.id), ok, "initiated", null);
    assert.equal((await net.bridgeTotals()).burned, totals.burned + 2_000n);
  });

  it("lists withdrawals by L2 sender and by Bitcoin address, exactly; refuses a bad owner clearly", async () => {
    const net = await startNet();
    const h0 = await net.bitcoinHeight();
    const wallet = await net.fundedWallet("list", 10n ** 18n);
    const relay = await net.deployRelay(2);
    const relayAddress = await relay.getAddress();
    const w1 = await net.withdrawFromAccount(0, P2WPKH, 2_000n);
    const w2 = await net.withdrawFromAccount(0, P2TR, 3_000n);
    const w3 = await net.withdrawFromAccount(1, P2WPKH, 4_000n);
    const w4 = await net.withdrawThroughRelay(relay, 2, P2WSH, 5_000n);
    const w5 = await net.withdrawSigned(wallet, P2TR, 6_000n);
    const w6 = await net.withdrawFromAccount(1, P2WPKH.toUpperCase(), 7_000n);
    await net.warpToHeight(h0 + 1);
    const w7 = await net.withdrawFromAccount(0, P2WSH, 8_000n); // not sealed yet
    const all = [w1, w2, w3, w4, w5, w6, w7];

    const ids = (list: WithdrawalView[]) => list.map((w) => w.id);
    const ids2 = (burns: Burn[]) => burns.map((b) => b.id);
    const expect = async (owner: string | undefined, burns: Burn[]) => {
      const list = await net.list(owner);
      assert.deepEqual(ids(list), ids2(burns), `bitlayer_listWithdrawals(${owner ?? ""})`);
      for (const [i, w] of list.entries()) {
        assertView(w, burns[i], "initiated", burns[i] === w7 ? null : 0);
        assert.deepEqual(w, await net.withdrawal(w.id), "as bitlayer_getWithdrawal shows it");
      }
    };
    await expect(undefined, all);
    await expect(net.address(0), [w1, w2, w7]);
    await expect(net.address(0).toLowerCase(), [w1, w2, w7]);
    await expect(net.address(1), [w3, w6]);
    await expect(relayAddress, [w4]);
    await expect(wallet.address, [w5]);
    await expect(net.address(2), []); // called the relay: the relay is the sender
    await expect(net.address(9), []);
    await expect(P2WPKH, [w1, w3, w6]); // the uppercase address pays the same script
    await expect(P2WPKH.toUpperCase(), [w1, w3, w6]);
    await expect(P2TR, [w2, w5]);
    await expect(P2WSH, [w4, w7]);
    await expect(P2WPKH_2, []);

    for (const bad of ["0x1234", "", "0x", `0x${"g".repeat(40)}`]) {
      const e = await net.rpcFailure("bitlayer_listWithdrawals", bad);
      assert.equal(e.code, -32602, bad);
      assert.match(e.message, /expected WithdrawalOwner: an L2 address \(0x \+ 40 hex digits\) or a regtest Bitcoin address/, bad);
    }
    for (const bad of [MAINNET, "bcrt1qgarbage", `${P2WPKH.slice(0, -1)}x`, "tb1qw508d6qejxtdg4y5r3zarvary0cs5xw7kxpjzsx"]) {
      const e = await net.rpcFailure("bitlayer_listWithdrawals", bad);
      assert.equal(e.code, -32602, bad);
      assert.equal(e.message, `bitlayer_listWithdrawals: ${bad} is not a regtest Bitcoin address`);
    }
    assert.equal((await net.rpcFailure("bitlayer_listWithdrawals", 5)).code, -32602);
    assert.deepEqual(ids(await net.list()), ids2(all), "the errors changed nothing");
  });

  it("standard: a peg-out larger than the bridge's locked BTC does not hold up the other payouts (same batch, later batch)", async () => {
    // The dev accounts hold 10 000 BTC each on the L2; the bridge locks 500 BTC on Bitcoin.
    const net = await startNet();
    const h0 = await net.bitcoinHeight();
    const books0 = await net.accounting();
    assert.equal(books0.bitcoin.lockedSats, 500 * 100_000_000);
    const small = await net.withdrawFromAccount(0, P2WPKH, 9_000n);
    const huge = await net.withdrawFromAccount(1, P2TR, 600n * 100_000_000n);
    await net.warpToHeight(h0 + 1);
    const later = await net.withdrawFromAccount(2, P2WSH, 10_000n);
    await net.rpc("bitlayer_warp", { until: "hard", tx: later.txHash });
    await net.warpBlocks(3);
    assert.equal((await net.withdrawal(later.id))?.batch, 1, "the later withdrawal is in a later batch");
    const seen = await net.paymentsToEach([P2WPKH, P2WSH], h0);
    for (const [i, burn] of [small, later].entries()) {
      const view = await net.withdrawal(burn.id);
      assert.equal(view?.status, "paid", `the ${Number(burn.amountSats)}-sat withdrawal of batch ${view?.batch} is paid`);
      assert.equal(seen[i].length, 1);
      assert.equal(seen[i][0].sats, burn.amountSats - FEE_SATS);
    }
    assert.notEqual((await net.withdrawal(huge.id))?.status, "paid", "the bridge cannot pay 600 BTC out of 500");
    assert.ok((await net.accounting()).bitcoin.holds);
  });

  it("broker: a peg-out larger than the broker's funds does not stop the broker paying the others", async () => {
    // The broker holds 100 BTC (two premined coinbases).
    const net = await startNet("broker");
    const h0 = await net.bitcoinHeight();
    const small = await net.withdrawFromAccount(0, P2WPKH, 9_000n);
    const huge = await net.withdrawFromAccount(1, P2TR, 150n * 100_000_000n);
    await net.warpBlocks(2);
    const view = await net.withdrawal(small.id);
    assert.equal(view?.status, "paid-by-broker", "the small withdrawal is paid by the broker within 2 blocks");
    const paid = await net.paymentsTo(P2WPKH, h0);
    assert.equal(paid.length, 1);
    assert.equal(paid[0].sats, small.amountSats - FEE_SATS);
    assert.equal((await net.withdrawal(huge.id))?.status, "initiated");
  });
});
