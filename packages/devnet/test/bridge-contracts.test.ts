// The predeployed Bitcoin light client and bridge (packages/devnet/contracts), run directly in an
// @ethereumjs/vm with their generated runtime code at the fixed addresses (no devnet): the generated file
// is what the sources compile to; the light client takes real headers of the simulated Bitcoin chain and
// verifies merkle proofs built from its blocks; the bridge mints, and parses withdrawal addresses as
// bitcoinjs-lib makes them. Every refusal is checked to leave the state root unchanged.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createBlock, type Block as EthBlock } from "@ethereumjs/block";
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { createLegacyTx } from "@ethereumjs/tx";
import { type Address, bytesToHex, createAccount, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { createVM, runTx, type VM } from "@ethereumjs/vm";
import { type Block, networks, payments } from "bitcoinjs-lib";
import { AbiCoder, getAddress, Interface, keccak256, type LogDescription, Wallet } from "ethers";
import { abiDir, compilePredeploys, generatedFile, renderAbi, renderGenerated } from "../scripts/compile-predeploys.js";
import { BitcoinChain } from "../src/bitcoin/index.js";
import { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS } from "../src/bridge/contracts.generated.js";
import { BRIDGE_RESERVE_WEI } from "../src/bridge/predeploys.js";
import { createDevnet } from "../src/index.js";
import { alice, aliceScript, bobScript, coinbaseUtxo, ECPair, spendP2wpkh, T0 } from "./support/bitcoin.js";

const SATS = 10n ** 10n; // wei per sat
const BTC = 10n ** 8n * SATS;
const CHAIN_ID = 31_337;
const lightClient = new Interface(BITCOIN_LIGHT_CLIENT.abi);
const bridge = new Interface(BITCOIN_BRIDGE.abi);
const coder = AbiCoder.defaultAbiCoder();

// ---------------------------------------------------------------------------------------------------
// An EVM with the two predeploys

interface CallResult {
  ok: boolean;
  /** The revert reason (Error(string)), or a description of another failure. */
  reason?: string;
  returnData: string;
  logs: LogDescription[];
  gas: bigint;
}

class Evm {
  private constructor(
    readonly vm: VM,
    readonly block: EthBlock,
  ) {}

  static async create(bridgeReserve = 1_000_000n * BTC): Promise<Evm> {
    const common = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, { hardfork: Hardfork.Cancun });
    const vm = await createVM({ common });
    const block = createBlock({ header: { number: 7n, timestamp: 1_700_000_123n, gasLimit: 60_000_000n, baseFeePerGas: 0n } }, { common });
    const evm = new Evm(vm, block);
    await evm.setCode(BITCOIN_LIGHT_CLIENT.address, BITCOIN_LIGHT_CLIENT.runtimeBytecode);
    await evm.setCode(BITCOIN_BRIDGE.address, BITCOIN_BRIDGE.runtimeBytecode);
    await evm.setBalance(BITCOIN_BRIDGE.address, bridgeReserve);
    return evm;
  }

  async setCode(address: string, code: string): Promise<void> {
    const at = createAddressFromString(address);
    if (!(await this.vm.stateManager.getAccount(at))) await this.vm.stateManager.putAccount(at, createAccount({}));
    await this.vm.stateManager.putCode(at, hexToBytes(code as `0x${string}`));
  }

  async setBalance(address: string, balance: bigint): Promise<void> {
    const at = createAddressFromString(address);
    const account = (await this.vm.stateManager.getAccount(at)) ?? createAccount({});
    account.balance = balance;
    await this.vm.stateManager.putAccount(at, account);
  }

  async balance(address: string): Promise<bigint> {
    return (await this.vm.stateManager.getAccount(createAddressFromString(address)))?.balance ?? 0n;
  }

  async stateRoot(): Promise<string> {
    return bytesToHex(await this.vm.stateManager.getStateRoot());
  }

  /** A call from `from` (which pays `value`); state changes are kept when it succeeds. */
  async call(from: string, to: string, data: string, value = 0n): Promise<CallResult> {
    const { execResult } = await this.vm.evm.runCall({
      caller: createAddressFromString(from),
      to: createAddressFromString(to),
      data: hexToBytes(data as `0x${string}`),
      value,
      gasLimit: 30_000_000n,
      block: this.block,
      // Calls are not transactions: leave the caller's nonce alone, so that a refused call changes nothing.
      skipNonceIncrement: true,
    });
    const returnData = bytesToHex(execResult.returnValue);
    const iface = to.toLowerCase() === BITCOIN_BRIDGE.address.toLowerCase() ? bridge : lightClient;
    const logs = (execResult.logs ?? []).map(([, topics, logData]) => {
      const parsed = iface.parseLog({ topics: topics.map((t) => bytesToHex(t)), data: bytesToHex(logData) });
      assert.ok(parsed, "every log is one of the contract's events");
      return parsed;
    });
    const failure = execResult.exceptionError;
    let reason: string | undefined;
    if (failure) {
      reason = returnData.startsWith("0x08c379a0")
        ? (coder.decode(["string"], `0x${returnData.slice(10)}`)[0] as string)
        : `${failure.error} ${returnData}`;
    }
    return { ok: !failure, reason, returnData, logs, gas: execResult.executionGasUsed };
  }

  async send(from: string, to: string, iface: Interface, fn: string, args: unknown[], value = 0n): Promise<CallResult> {
    return this.call(from, to, iface.encodeFunctionData(fn, args), value);
  }

  /** A view: decoded result, or throws the revert reason. */
  async view(to: string, iface: Interface, fn: string, args: unknown[] = []): Promise<unknown> {
    const result = await this.call(SYSTEM_ADDRESS, to, iface.encodeFunctionData(fn, args));
    if (!result.ok) throw new Error(result.reason);
    const decoded = iface.decodeFunctionResult(fn, result.returnData);
    return decoded.length === 1 ? decoded[0] : decoded;
  }

  /**
   * The same as a transaction (intrinsic gas, warm precompiles and fresh access lists as in a block), as
   * `from` without its key, as the devnet impersonates: returns the gas the receipt would show.
   */
  async transactionGas(from: string, to: string, data: string, value = 0n): Promise<bigint> {
    const tx = createLegacyTx(
      {
        to: createAddressFromString(to),
        data: hexToBytes(data as `0x${string}`),
        value,
        gasLimit: 30_000_000n,
        gasPrice: 1n,
        v: 27n,
        r: BigInt(from),
        s: 1n,
      },
      { common: this.vm.common, freeze: false },
    );
    const sender: Address = createAddressFromString(from);
    Object.defineProperty(tx, "getSenderAddress", { value: () => sender });
    const result = await runTx(this.vm, { tx, block: this.block, skipBalance: true, skipNonce: true, skipBlockGasLimitValidation: true });
    assert.equal(result.execResult.exceptionError, undefined, "the measured transaction succeeds");
    return result.totalGasSpent;
  }
}

/** Asserts the call was refused with `reason` and changed nothing. */
async function refused(evm: Evm, run: () => Promise<CallResult>, reason: string | RegExp): Promise<void> {
  const before = await evm.stateRoot();
  const result = await run();
  assert.equal(result.ok, false, `expected a refusal (${reason})`);
  if (typeof reason === "string") assert.equal(result.reason, reason);
  else assert.match(result.reason ?? "", reason);
  assert.equal(await evm.stateRoot(), before, "a refused call changes nothing");
}

async function succeeded(result: Promise<CallResult>): Promise<CallResult> {
  const r = await result;
  assert.ok(r.ok, `call failed: ${r.reason}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Bitcoin helpers: hashes, headers, merkle branches

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest();
const hash256 = (data: Uint8Array) => sha256(sha256(data));
/** Display (RPC) order <-> internal order. */
const reversed = (bytes: Uint8Array) => Buffer.from(bytes).reverse();
const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}`;

function targetOf(bits: number): bigint {
  return BigInt(bits & 0x007fffff) << (8n * BigInt((bits >>> 24) - 3));
}

/** The header's hash as a little-endian number, the value proof of work bounds. */
function work(header: Buffer): bigint {
  return BigInt(hex(reversed(hash256(header))));
}

function headerOf(block: Block): Buffer {
  return Buffer.from(block.toBuffer(true));
}

/** A copy of `header` with `edit` applied, then a nonce found for it: meets the proof of work of its nBits. */
function solved(header: Buffer, edit: (h: Buffer) => void = () => {}): Buffer {
  const h = Buffer.from(header);
  edit(h);
  const target = targetOf(h.readUInt32LE(72));
  for (let nonce = 0; ; nonce++) {
    h.writeUInt32LE(nonce, 76);
    if (work(h) <= target) return h;
  }
}

/** A copy of `header` with a nonce making it miss its target. */
function unsolved(header: Buffer): Buffer {
  const h = Buffer.from(header);
  const target = targetOf(h.readUInt32LE(72));
  for (let nonce = 0; ; nonce++) {
    h.writeUInt32LE(nonce, 76);
    if (work(h) > target) return h;
  }
}

/** The merkle branch of transaction `index` of `block`: sibling hashes from the leaves up, display order. */
function merkleProof(block: Block, index: number): string[] {
  let level: Buffer[] = block.transactions!.map((tx) => reversed(hexToBytes(`0x${tx.getId()}`)));
  const proof: string[] = [];
  for (let i = index; level.length > 1; i >>= 1) {
    proof.push(hex(reversed(level[i ^ 1] ?? level[i])));
    const next: Buffer[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(hash256(Buffer.concat([level[j], level[j + 1] ?? level[j]])));
    level = next;
  }
  assert.deepEqual(level[0], Buffer.from(block.merkleRoot!), "the branch's tree has the header's root");
  return proof;
}

// ---------------------------------------------------------------------------------------------------
// Segwit addresses, encoded per BIP173/BIP350 (to make the ones bitcoinjs-lib will not)

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32 = 1;
const BECH32M = 0x2bc830a3;

function polymod(values: number[]): number {
  const generators = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ generators[i]) >>> 0;
  }
  return chk;
}

function bech32Encode(hrp: string, data: number[], constant: number): string {
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  const expanded = [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
  const mod = polymod([...expanded, ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => CHARSET[v]).join("")}`;
}

/** 5-bit groups to 8-bit bytes, dropping the padding bits. */
function fromWords(words: number[]): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** 8-bit bytes to 5-bit groups, the last one zero-padded. */
function toWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

function segwitAddress(version: number, program: Uint8Array, options: { hrp?: string; constant?: number; words?: number[] } = {}): string {
  const words = options.words ?? toWords(program);
  return bech32Encode(options.hrp ?? "bcrt", [version, ...words], options.constant ?? (version === 0 ? BECH32 : BECH32M));
}

// ---------------------------------------------------------------------------------------------------

describe("predeploys: Bitcoin light client and bridge contracts", function () {
  this.timeout(120_000);

  describe("the generated file", () => {
    it("is what compiling contracts/*.sol gives (run scripts/compile-predeploys.js after editing a .sol file)", () => {
      const compiled = compilePredeploys();
      const byName = Object.fromEntries(compiled.map((p) => [p.constant, p]));
      for (const [name, generated] of [
        ["BITCOIN_LIGHT_CLIENT", BITCOIN_LIGHT_CLIENT],
        ["BITCOIN_BRIDGE", BITCOIN_BRIDGE],
      ] as const) {
        assert.equal(generated.runtimeBytecode, byName[name].runtimeBytecode, `${name}'s runtime bytecode is up to date`);
        assert.deepEqual(generated.abi, byName[name].abi, `${name}'s ABI is up to date`);
        assert.equal(generated.address, byName[name].address);
      }
      assert.equal(readFileSync(generatedFile, "utf8"), renderGenerated(compiled), "src/bridge/contracts.generated.ts, byte for byte");
      for (const p of compiled) {
        assert.equal(readFileSync(join(abiDir, `${p.contract}.json`), "utf8"), renderAbi(p), `abi/${p.contract}.json`);
      }
    });

    it("has the fixed, checksummed addresses, code under the size limit, and no receive() or fallback() on the bridge", () => {
      assert.equal(SYSTEM_ADDRESS, "0xe38D202953D5c26d7C24dfFFa1244FA9A34f9fE7");
      assert.equal(BITCOIN_LIGHT_CLIENT.address, getAddress("0xb17c000000000000000000000000000000000001"));
      assert.equal(BITCOIN_BRIDGE.address, getAddress("0xb17c000000000000000000000000000000000002"));
      for (const p of [BITCOIN_LIGHT_CLIENT, BITCOIN_BRIDGE]) {
        assert.match(p.runtimeBytecode, /^0x[0-9a-f]+$/);
        assert.ok(p.runtimeBytecode.length / 2 - 1 < 24_576, "under the EIP-170 code size limit");
      }
      const types = (BITCOIN_BRIDGE.abi as readonly { type: string }[]).map((item) => item.type);
      assert.ok(!types.includes("receive") && !types.includes("fallback"), "no receive() or fallback()");
    });

    it("is what a devnet's genesis holds at the fixed addresses: the runtime code, the bridge's reserve", async () => {
      const devnet = await createDevnet({});
      try {
        for (const [p, balance] of [
          [BITCOIN_LIGHT_CLIENT, 0n],
          [BITCOIN_BRIDGE, BRIDGE_RESERVE_WEI],
        ] as const) {
          assert.equal(await devnet.request({ method: "eth_getCode", params: [p.address, "0x0"] }), p.runtimeBytecode);
          assert.equal(BigInt((await devnet.request({ method: "eth_getBalance", params: [p.address, "0x0"] })) as string), balance);
        }
      } finally {
        await devnet.close();
      }
    });

    it("loses nothing by skipping the constructor: deploying gives the same runtime code and empty storage", async () => {
      for (const p of compilePredeploys()) {
        assert.ok(!(p.abi as { type: string }[]).some((item) => item.type === "constructor"), `${p.contract} has no constructor`);
        const evm = await Evm.create();
        const { createdAddress, execResult } = await evm.vm.evm.runCall({
          caller: createAddressFromString(SYSTEM_ADDRESS),
          data: hexToBytes(p.creationBytecode as `0x${string}`),
          gasLimit: 10_000_000n,
        });
        assert.equal(execResult.exceptionError, undefined);
        assert.ok(createdAddress);
        assert.equal(bytesToHex(await evm.vm.stateManager.getCode(createdAddress)), p.runtimeBytecode);
        assert.deepEqual(await evm.vm.stateManager.dumpStorage!(createdAddress), {}, `${p.contract}'s constructor stores nothing`);
      }
    });
  });

  describe("BitcoinLightClient", () => {
    const LC = BITCOIN_LIGHT_CLIENT.address;
    let chain: BitcoinChain;
    /** Heights of blocks with 5 and 6 transactions. */
    let fiveTxHeight: number;
    let sixTxHeight: number;
    let evm: Evm;

    const submit = (e: Evm, firstHeight: number, headers: Uint8Array[] | Uint8Array, from = SYSTEM_ADDRESS) =>
      e.send(from, LC, lightClient, "submitHeaders", [firstHeight, hex(Buffer.concat(Array.isArray(headers) ? headers : [headers]))]);
    const headers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => headerOf(chain.getBlock(from + i)!));
    const latestHeight = async (e: Evm) => Number(await e.view(LC, lightClient, "latestHeight"));

    before(async () => {
      chain = new BitcoinChain();
      chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 110 });
      // Two blocks with several transactions: each spends a mature coinbase of alice's.
      const spend = (height: number) =>
        chain.acceptToMempool(spendP2wpkh(alice, [coinbaseUtxo(chain, height)], [{ script: bobScript, value: 49n * 10n ** 8n }]));
      for (const h of [1, 2, 3, 4]) spend(h);
      fiveTxHeight = chain.mine({ timestamp: T0, payoutScript: aliceScript })[0].transactions!.length === 5 ? chain.height : -1;
      for (const h of [5, 6, 7, 8, 9]) spend(h);
      sixTxHeight = chain.mine({ timestamp: T0, payoutScript: aliceScript })[0].transactions!.length === 6 ? chain.height : -1;
      assert.ok(fiveTxHeight > 0 && sixTxHeight > 0, "blocks of 5 and 6 transactions mined");
      chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 3 });
      evm = await Evm.create();
    });

    it("has no header before the first submission", async () => {
      const fresh = await Evm.create();
      await assert.rejects(fresh.view(LC, lightClient, "latestHeight"), /^Error: BitcoinLightClient: no header yet$/);
      await assert.rejects(fresh.view(LC, lightClient, "firstHeight"), /^Error: BitcoinLightClient: no header yet$/);
      await assert.rejects(fresh.view(LC, lightClient, "blockHash", [0]), /^Error: BitcoinLightClient: unknown height$/);
      await assert.rejects(fresh.view(LC, lightClient, "confirmations", [0]), /^Error: BitcoinLightClient: unknown height$/);
    });

    it("stores real headers from the regtest genesis on, in batches, with their hashes in RPC order", async () => {
      const genesis = await succeeded(submit(evm, 0, headers(0, 0)));
      assert.equal(genesis.logs.length, 1);
      assert.deepEqual(genesis.logs[0].args.toArray(), [0n, 1n, `0x${chain.getBlock(0)!.getId()}`]);
      assert.equal(await latestHeight(evm), 0);

      const batch = await succeeded(submit(evm, 1, headers(1, 100)));
      assert.deepEqual(batch.logs[0].args.toArray(), [1n, 100n, `0x${chain.getBlock(100)!.getId()}`]);
      await succeeded(submit(evm, 101, headers(101, 101)));
      await succeeded(submit(evm, 102, headers(102, chain.height - 1)));

      assert.equal(await latestHeight(evm), chain.height - 1);
      assert.equal(await evm.view(LC, lightClient, "firstHeight"), 0n);
      for (let h = 0; h < chain.height; h++) {
        assert.equal(await evm.view(LC, lightClient, "blockHash", [h]), `0x${chain.getBlock(h)!.getId()}`, `hash of block ${h}`);
      }
      assert.equal(await evm.view(LC, lightClient, "confirmations", [chain.height - 1]), 1n);
      assert.equal(await evm.view(LC, lightClient, "confirmations", [0]), BigInt(chain.height));
      await assert.rejects(evm.view(LC, lightClient, "blockHash", [chain.height]), /unknown height/);
      await assert.rejects(evm.view(LC, lightClient, "confirmations", [chain.height]), /unknown height/);
    });

    it("refuses a header that does not link, changes nBits or lacks proof of work, and bad submissions; nothing changes", async () => {
      const tip = chain.height - 1;
      assert.equal(await latestHeight(evm), tip, "the previous test left the tip one block behind the chain");
      const next = headerOf(chain.getBlock(tip + 1)!);
      const previous = headerOf(chain.getBlock(tip)!);

      const wrongPrev = solved(next, (h) => {
        h[4] ^= 1;
      });
      await refused(evm, () => submit(evm, tip + 1, wrongPrev), "BitcoinLightClient: header does not extend the previous one");
      // A valid second header after a bad first one does not help.
      await refused(evm, () => submit(evm, tip + 1, [wrongPrev, next]), "BitcoinLightClient: header does not extend the previous one");
      // Nor does a bad header after a good one: the whole submission is refused.
      await refused(evm, () => submit(evm, tip + 1, [next, next]), "BitcoinLightClient: header does not extend the previous one");

      const otherBits = solved(next, (h) => h.writeUInt32LE(0x207ffffe, 72));
      assert.ok(work(otherBits) <= targetOf(0x207ffffe), "meets its own (different) target");
      await refused(evm, () => submit(evm, tip + 1, otherBits), "BitcoinLightClient: nBits differs from the previous header");

      const weak = unsolved(next);
      assert.ok(work(weak) > targetOf(0x207fffff));
      await refused(evm, () => submit(evm, tip + 1, weak), "BitcoinLightClient: insufficient proof of work");

      const back = "BitcoinLightClient: firstHeight must be latestHeight() + 1 or later";
      await refused(evm, () => submit(evm, tip, previous), back);
      await refused(evm, () => submit(evm, 0, headerOf(chain.getBlock(0)!)), back);
      // A jump forward is a new checkpoint: its header must still meet the work and keep the nBits.
      await refused(evm, () => submit(evm, tip + 2, weak), "BitcoinLightClient: insufficient proof of work");
      await refused(evm, () => submit(evm, tip + 2, otherBits), "BitcoinLightClient: nBits differs from the previous header");

      const length = "BitcoinLightClient: headers must be a positive multiple of 80 bytes";
      await refused(evm, () => submit(evm, tip + 1, Buffer.concat([next, Buffer.alloc(1)])), length);
      await refused(evm, () => submit(evm, tip + 1, next.subarray(0, 79)), length);
      await refused(evm, () => submit(evm, tip + 1, Buffer.alloc(0)), length);

      const stranger = Wallet.createRandom().address;
      await refused(evm, () => submit(evm, tip + 1, next, stranger), "BitcoinLightClient: only the system account");

      assert.equal(await latestHeight(evm), tip);
      await succeeded(submit(evm, tip + 1, next));
      assert.equal(await latestHeight(evm), chain.height);
      assert.equal(await evm.view(LC, lightClient, "blockHash", [chain.height]), `0x${chain.getBlock(chain.height)!.getId()}`);
    });

    it("takes its checkpoint at any height, with the proof-of-work check, and refuses invalid nBits encodings", async () => {
      const fresh = await Evm.create();
      const at = (h: number) => headerOf(chain.getBlock(h)!);
      await refused(fresh, () => submit(fresh, 50, unsolved(at(50))), "BitcoinLightClient: insufficient proof of work");
      const mainnetBits = solved(at(50), (h) => h.writeUInt32LE(0x207fffff, 72));
      mainnetBits.writeUInt32LE(0x1d00ffff, 72); // Bitcoin's difficulty 1: a regtest nonce does not meet it
      await refused(fresh, () => submit(fresh, 50, mainnetBits), "BitcoinLightClient: insufficient proof of work");
      for (const bits of [
        0x20800001, // negative
        0x20ffffff, // negative
        0x23000001, // overflow: exponent 35
        0x22000100, // overflow: 2 mantissa bytes at exponent 34
        0x21010000, // overflow: 3 mantissa bytes at exponent 33
        0x20000000, // zero
        0x01003456, // zero after the right shift
      ]) {
        const header = Buffer.from(at(50));
        header.writeUInt32LE(bits, 72);
        await refused(fresh, () => submit(fresh, 50, header), "BitcoinLightClient: invalid nBits");
      }
      // The largest targets that encode: anything meets them.
      for (const bits of [0x220000ff, 0x2100ffff, 0x207fffff]) {
        const header = Buffer.from(at(50));
        header.writeUInt32LE(bits, 72);
        const probe = await Evm.create();
        await succeeded(submit(probe, 50, header));
      }

      await succeeded(submit(fresh, 50, headers(50, 60)));
      assert.equal(await fresh.view(LC, lightClient, "firstHeight"), 50n);
      assert.equal(await latestHeight(fresh), 60);
      assert.equal(await fresh.view(LC, lightClient, "confirmations", [50]), 11n);
      await assert.rejects(fresh.view(LC, lightClient, "blockHash", [49]), /unknown height/);
      await refused(fresh, () => submit(fresh, 50, at(50)), "BitcoinLightClient: firstHeight must be latestHeight() + 1 or later");
      await succeeded(submit(fresh, 61, headers(61, 62)));
      assert.equal(await fresh.view(LC, lightClient, "blockHash", [62]), `0x${chain.getBlock(62)!.getId()}`);
      // A jump forward: a new checkpoint at 70; 50..62 are no longer served, 70..72 are, linked from 70 on.
      await refused(
        fresh,
        () => submit(fresh, 70, Buffer.concat([at(70), at(72)])),
        "BitcoinLightClient: header does not extend the previous one",
      );
      await succeeded(submit(fresh, 70, headers(70, 72)));
      assert.equal(await fresh.view(LC, lightClient, "firstHeight"), 70n);
      assert.equal(await latestHeight(fresh), 72);
      await assert.rejects(fresh.view(LC, lightClient, "blockHash", [62]), /unknown height/);
      assert.equal(await fresh.view(LC, lightClient, "blockHash", [71]), `0x${chain.getBlock(71)!.getId()}`);
    });

    describe("verifyInclusion", () => {
      const verify = (txid: string, height: number, header: Buffer | string, proof: string[], index: number | bigint) =>
        evm.view(LC, lightClient, "verifyInclusion", [txid, height, typeof header === "string" ? header : hex(header), proof, index]);
      const txidAt = (height: number, index: number) => `0x${chain.getBlock(height)!.transactions![index].getId()}`;

      it("proves every transaction of blocks of 5 and 6 transactions (the last hash of a level duplicated)", async () => {
        for (const height of [fiveTxHeight, sixTxHeight]) {
          const block = chain.getBlock(height)!;
          for (let index = 0; index < block.transactions!.length; index++) {
            const proof = merkleProof(block, index);
            assert.equal(proof.length, 3);
            assert.equal(await verify(txidAt(height, index), height, headerOf(block), proof, index), true, `tx ${index} at ${height}`);
          }
        }
      });

      it("proves the only transaction of a block with an empty proof", async () => {
        const block = chain.getBlock(fiveTxHeight - 1)!;
        assert.equal(block.transactions!.length, 1);
        assert.equal(await verify(txidAt(fiveTxHeight - 1, 0), fiveTxHeight - 1, headerOf(block), [], 0), true);
        assert.equal(await verify(txidAt(fiveTxHeight - 1, 0), fiveTxHeight - 1, headerOf(block), [], 1), false, "index out of range");
        assert.equal(await verify(txidAt(fiveTxHeight, 0), fiveTxHeight - 1, headerOf(block), [], 0), false, "another txid");
        // The genesis block, the checkpoint.
        assert.equal(await verify(txidAt(0, 0), 0, headerOf(chain.getBlock(0)!), [], 0), true);
      });

      it("is false for a wrong proof element, index, txid or header", async () => {
        const height = fiveTxHeight;
        const block = chain.getBlock(height)!;
        const header = headerOf(block);
        const proof = merkleProof(block, 2);
        const txid = txidAt(height, 2);
        assert.equal(await verify(txid, height, header, proof, 2), true);
        for (let level = 0; level < proof.length; level++) {
          const bad = [...proof];
          bad[level] = `0x${(BigInt(bad[level]) ^ 1n).toString(16).padStart(64, "0")}`;
          assert.equal(await verify(txid, height, header, bad, 2), false, `element ${level} changed`);
        }
        for (const index of [0, 1, 3, 6, 2 + 8, 2n ** 255n + 2n]) {
          assert.equal(await verify(txid, height, header, proof, index), false, `index ${index}`);
        }
        assert.equal(await verify(txid, height, header, proof.slice(0, 2), 2), false, "a branch too short");
        assert.equal(await verify(txidAt(height, 3), height, header, proof, 2), false, "another transaction's txid");
        assert.equal(
          await verify(hex(reversed(hexToBytes(txid as `0x${string}`))), height, header, proof, 2),
          false,
          "txid in internal order",
        );
        // The last transaction (4) is its own sibling at the first level: position 5 is that duplicate, not a transaction.
        assert.equal(await verify(txidAt(height, 4), height, header, merkleProof(block, 4), 5), false, "the duplicate position");

        assert.equal(await verify(txid, height, headerOf(chain.getBlock(height + 1)!), proof, 2), false, "the next block's header");
        assert.equal(await verify(txid, height + 1, header, proof, 2), false, "this header at another height");
        const tampered = Buffer.from(header);
        tampered[0] ^= 1;
        assert.equal(await verify(txid, height, tampered, proof, 2), false, "a changed header");
        assert.equal(await verify(txid, height, header.subarray(0, 79), proof, 2), false, "79 bytes");
        assert.equal(await verify(txid, height, Buffer.concat([header, Buffer.alloc(1)]), proof, 2), false, "81 bytes");
        await assert.rejects(verify(txid, chain.height + 1, header, proof, 2), /^Error: BitcoinLightClient: unknown height$/);
      });
    });

    it("costs under 25k gas a header in a 100-header submission (a transaction's gas, calldata included)", async () => {
      const fresh = await Evm.create();
      const data = (first: number, list: Buffer[]) => lightClient.encodeFunctionData("submitHeaders", [first, hex(Buffer.concat(list))]);
      await fresh.transactionGas(SYSTEM_ADDRESS, LC, data(0, headers(0, 0)));
      const one = await fresh.transactionGas(SYSTEM_ADDRESS, LC, data(1, headers(1, 1)));
      const hundred = await fresh.transactionGas(SYSTEM_ADDRESS, LC, data(2, headers(2, 101)));
      assert.ok(one < 60_000n, `one header: ${one} gas`);
      assert.ok(hundred / 100n < 25_000n, `100 headers: ${hundred} gas, ${hundred / 100n} a header`);
    });
  });

  describe("BitcoinBridge", () => {
    const BRIDGE = BITCOIN_BRIDGE.address;
    const txid = hex(randomBytes(32));
    let evm: Evm;
    let user: string;

    const mint = (recipient: string, sats: bigint, btcTxid: string, vout: number, from = SYSTEM_ADDRESS) =>
      evm.send(from, BRIDGE, bridge, "mint", [recipient, sats, btcTxid, vout]);
    const withdraw = (address: string, value: bigint, from = user) => evm.send(from, BRIDGE, bridge, "withdraw", [address], value);
    const scriptOf = (address: string) => evm.view(BRIDGE, bridge, "scriptPubKeyOf", [address]) as Promise<string>;
    const totals = async () => ({
      minted: await evm.view(BRIDGE, bridge, "totalMintedSats"),
      burned: await evm.view(BRIDGE, bridge, "totalBurnedSats"),
      count: await evm.view(BRIDGE, bridge, "withdrawalCount"),
      reserve: await evm.balance(BRIDGE),
    });

    before(async () => {
      evm = await Evm.create();
      user = Wallet.createRandom().address;
      await evm.setBalance(user, 1_000n * BTC);
    });

    it("exposes its constants", async () => {
      assert.equal(await evm.view(BRIDGE, bridge, "SYSTEM"), SYSTEM_ADDRESS);
      assert.equal(await evm.view(BRIDGE, bridge, "WITHDRAWAL_FEE_SATS"), 1000n);
      assert.equal(await evm.view(BRIDGE, bridge, "MIN_WITHDRAWAL_SATS"), 2000n);
      assert.equal(await evm.view(BRIDGE, bridge, "SATS"), SATS);
    });

    describe("mint", () => {
      it("pays the recipient out of the reserve and emits DepositMinted", async () => {
        const recipient = Wallet.createRandom().address;
        const before = await totals();
        const result = await succeeded(mint(recipient, 123_456n, txid, 1));
        assert.equal(await evm.balance(recipient), 123_456n * SATS);
        const after = await totals();
        assert.equal(after.reserve, before.reserve - 123_456n * SATS);
        assert.equal(after.minted, (before.minted as bigint) + 123_456n);
        assert.equal(result.logs.length, 1);
        assert.equal(result.logs[0].name, "DepositMinted");
        assert.deepEqual(result.logs[0].args.toArray(), [txid, 1n, recipient, 123_456n]);
        assert.equal(await evm.view(BRIDGE, bridge, "isMinted", [txid, 1]), true);
        assert.equal(await evm.view(BRIDGE, bridge, "isMinted", [txid, 0]), false);
      });

      it("refuses a deposit already minted, and any sender but the system; nothing changes", async () => {
        const recipient = Wallet.createRandom().address;
        await succeeded(mint(recipient, 5_000n, txid, 7));
        await refused(evm, () => mint(recipient, 5_000n, txid, 7), "BitcoinBridge: deposit already minted");
        await refused(evm, () => mint(Wallet.createRandom().address, 1n, txid, 7), "BitcoinBridge: deposit already minted");
        await succeeded(mint(recipient, 5_000n, txid, 8)); // the same transaction's other output
        assert.equal(await evm.balance(recipient), 10_000n * SATS);
        const other = hex(randomBytes(32));
        await refused(evm, () => mint(user, 5_000n, other, 0, user), "BitcoinBridge: only the system account");
        await refused(evm, () => mint(user, 5_000n, other, 0, BRIDGE), "BitcoinBridge: only the system account");
        assert.equal(await evm.view(BRIDGE, bridge, "isMinted", [other, 0]), false);
      });

      it("refuses a zero recipient or amount, more than 21 million BTC, or more than the reserve", async () => {
        const other = hex(randomBytes(32));
        const recipient = Wallet.createRandom().address;
        await refused(evm, () => mint("0x0000000000000000000000000000000000000000", 1n, other, 0), "BitcoinBridge: zero recipient");
        await refused(evm, () => mint(recipient, 0n, other, 0), "BitcoinBridge: zero amount");
        await refused(evm, () => mint(recipient, 21_000_000n * 10n ** 8n + 1n, other, 0), "BitcoinBridge: amount above 21 million BTC");
        await refused(evm, () => mint(recipient, 2n ** 255n, other, 0), "BitcoinBridge: amount above 21 million BTC");
        const small = await Evm.create(10n * BTC);
        await refused(
          small,
          () => small.send(SYSTEM_ADDRESS, BRIDGE, bridge, "mint", [recipient, 10n * 10n ** 8n + 1n, other, 0]),
          "BitcoinBridge: reserve too low",
        );
        await succeeded(small.send(SYSTEM_ADDRESS, BRIDGE, bridge, "mint", [recipient, 10n * 10n ** 8n, other, 0]));
        assert.equal(await small.balance(BRIDGE), 0n);
      });

      it("reverts as a whole when the recipient refuses the value; forwards all gas to one that accepts", async () => {
        const refuser = Wallet.createRandom().address;
        await evm.setCode(refuser, "0x5f5ffd"); // PUSH0 PUSH0 REVERT: a contract without receive() or fallback()
        const other = hex(randomBytes(32));
        await refused(evm, () => mint(refuser, 5_000n, other, 3), "BitcoinBridge: the recipient refused the deposit");
        assert.equal(await evm.view(BRIDGE, bridge, "isMinted", [other, 3]), false);
        assert.equal(await evm.balance(refuser), 0n);

        const storer = Wallet.createRandom().address;
        await evm.setCode(storer, "0x60016000555f5ff3"); // SSTORE(0, 1), RETURN: needs far more than a 2300-gas stipend
        await succeeded(mint(storer, 5_000n, other, 3));
        assert.equal(await evm.balance(storer), 5_000n * SATS);
      });

      it("refuses plain transfers (no receive or fallback)", async () => {
        await refused(evm, () => evm.call(user, BRIDGE, "0x", 1n * BTC), /^revert 0x$/);
        await refused(evm, () => evm.call(SYSTEM_ADDRESS, BRIDGE, "0x", 0n), /^revert 0x$/);
        await refused(evm, () => evm.call(user, BRIDGE, "0x12345678", 1n * BTC), /^revert 0x$/);
      });
    });

    describe("withdraw", () => {
      const regtest = networks.regtest;
      const key = () => ECPair.makeRandom();
      const p2wpkh = () => payments.p2wpkh({ pubkey: key().publicKey, network: regtest });
      const p2wsh = () => payments.p2wsh({ redeem: payments.p2pk({ pubkey: key().publicKey, network: regtest }), network: regtest });
      const p2tr = () => payments.p2tr({ internalPubkey: key().publicKey.subarray(1, 33), network: regtest });

      it("accepts P2WPKH, P2WSH and P2TR regtest addresses, in lower or upper case, with bitcoinjs-lib's output script", async () => {
        for (const [kind, make] of [
          ["P2WPKH", p2wpkh],
          ["P2WSH", p2wsh],
          ["P2TR", p2tr],
        ] as const) {
          for (let i = 0; i < 4; i++) {
            const payment = make();
            const address = payment.address!;
            const script = hex(payment.output!);
            assert.equal(await scriptOf(address), script, `${kind} ${address}`);
            assert.equal(await scriptOf(address.toUpperCase()), script, `${kind} ${address.toUpperCase()}`);
            // The test encoder agrees with bitcoinjs-lib.
            const version = payment.output![0] === 0 ? 0 : 1;
            assert.equal(segwitAddress(version, payment.output!.subarray(2)), address);
          }
        }
        // Every character of the charset, in both cases: a program whose groups are 0..31, 0..18, then 16
        // (the last group's 4 padding bits zero).
        const words = [...Array.from({ length: 32 }, (_, i) => i), ...Array.from({ length: 19 }, (_, i) => i), 16];
        const program = fromWords(words);
        assert.equal(program.length, 32);
        for (const [version, prefix] of [
          [0, "0x0020"],
          [1, "0x5120"],
        ] as const) {
          const address = segwitAddress(version, program, { words });
          assert.equal(await scriptOf(address), `${prefix}${program.toString("hex")}`, address);
          assert.equal(await scriptOf(address.toUpperCase()), `${prefix}${program.toString("hex")}`, address.toUpperCase());
        }
        const prefixes = { P2WPKH: "0x0014", P2WSH: "0x0020", P2TR: "0x5120" };
        assert.ok((await scriptOf(p2wpkh().address!)).startsWith(prefixes.P2WPKH));
        assert.ok((await scriptOf(p2wsh().address!)).startsWith(prefixes.P2WSH));
        assert.ok((await scriptOf(p2tr().address!)).startsWith(prefixes.P2TR));
      });

      it("burns the value, counts, and emits WithdrawalInitiated with the id of the abi-encoded fields", async () => {
        const before = await totals();
        const userBefore = await evm.balance(user);
        const cases = [
          { payment: p2wpkh(), sats: 2_000n, upper: false },
          { payment: p2wsh(), sats: 123_456_789n, upper: false },
          { payment: p2tr(), sats: 50_000n, upper: true },
        ];
        let index = before.count as bigint;
        let burned = 0n;
        for (const { payment, sats, upper } of cases) {
          const address = upper ? payment.address!.toUpperCase() : payment.address!;
          const value = sats * SATS;
          const result = await succeeded(withdraw(address, value));
          const id = keccak256(
            coder.encode(
              ["uint256", "uint256", "address", "uint256", "string", "uint256", "uint256"],
              [CHAIN_ID, index, user, value, address, 7, 1_700_000_123],
            ),
          );
          assert.equal(bridge.decodeFunctionResult("withdraw", result.returnData)[0], id, "returns the id");
          assert.equal(result.logs.length, 1);
          assert.equal(result.logs[0].name, "WithdrawalInitiated");
          assert.deepEqual(result.logs[0].args.toArray(), [id, user, index, address, hex(payment.output!), sats]);
          index++;
          burned += sats;
        }
        const after = await totals();
        assert.equal(after.count, index);
        assert.equal(after.burned, (before.burned as bigint) + burned);
        assert.equal(after.minted, before.minted);
        assert.equal(after.reserve, before.reserve + burned * SATS, "the value stays in the bridge: back in the reserve");
        assert.equal(await evm.balance(user), userBefore - burned * SATS);
      });

      it("refuses fractional sats and amounts below the minimum; nothing changes", async () => {
        const address = p2wpkh().address!;
        await refused(evm, () => withdraw(address, 5_000n * SATS + 1n), "BitcoinBridge: amount is not a whole number of sats");
        await refused(evm, () => withdraw(address, 1n), "BitcoinBridge: amount is not a whole number of sats");
        const minimum = "BitcoinBridge: amount below the minimum withdrawal of 2000 sats (the 1000-sat fee plus more than dust)";
        await refused(evm, () => withdraw(address, 1_999n * SATS), minimum);
        await refused(evm, () => withdraw(address, 0n), minimum);
      });

      it("refuses every other address with the reason; nothing changes", async () => {
        const p20 = randomBytes(20);
        const p32 = randomBytes(32);
        const wpkh = segwitAddress(0, p20);
        const tr = segwitAddress(1, p32);
        const paddedWords = (bytes: Uint8Array) => {
          const words = toWords(bytes);
          words[words.length - 1] |= 1;
          return words;
        };
        const otherChar = (c: string) => CHARSET[(CHARSET.indexOf(c) + 1) % 32];
        const legacy = payments.p2pkh({ pubkey: alice.publicKey, network: networks.regtest }).address!;
        const cases: [string, string][] = [
          ["", "empty"],
          [`bcrt1${"q".repeat(86)}`, "longer than 90 characters"],
          [payments.p2wpkh({ hash: p20, network: networks.bitcoin }).address!, "not a regtest address"],
          [payments.p2wpkh({ hash: p20, network: networks.testnet }).address!, "not a regtest address"],
          [segwitAddress(1, p32, { hrp: "bc" }), "not a regtest address"],
          [segwitAddress(0, p32, { hrp: "tb" }), "not a regtest address"],
          [segwitAddress(0, p20, { hrp: "bcrtx" }), "not a regtest address"],
          [legacy, legacy.includes("1") ? "not a regtest address" : "no separator"], // base58, mixed case
          ["bcrtqqqqqqqqqqqqq", "no separator"],
          ["bcrt1qqqqqq", "too short"],
          [`${wpkh.slice(0, -1)}${otherChar(wpkh.slice(-1))}`, "bad checksum"],
          [`${tr.slice(0, 20)}${otherChar(tr[20])}${tr.slice(21)}`, "bad checksum"],
          [segwitAddress(0, p20, { constant: 0x12345678 }), "bad checksum"],
          [`bcrt1Q${wpkh.slice(6)}`, "mixed case"],
          [`BCRT1${wpkh.slice(5)}`, "mixed case"],
          [`bCrt1${wpkh.slice(5)}`, "mixed case"],
          [`${wpkh.slice(0, 20)}1${wpkh.slice(21)}`, "not a regtest address"], // the last "1" is the separator
          [`bcrt1${wpkh.slice(5).toUpperCase()}`, "mixed case"],
          [`${wpkh.slice(0, 10)}b${wpkh.slice(11)}`, "invalid character"],
          [`${wpkh.slice(0, 10)}i${wpkh.slice(11)}`, "invalid character"],
          [`${wpkh.slice(0, 10)}o${wpkh.slice(11)}`, "invalid character"],
          [`${wpkh.slice(0, 10)} ${wpkh.slice(11)}`, "invalid character"],
          [`${wpkh.slice(0, 10)}é${wpkh.slice(11)}`, "invalid character"],
          [segwitAddress(0, p20, { constant: BECH32M }), "bech32 required for witness v0"],
          [segwitAddress(0, p32, { constant: BECH32M }), "bech32 required for witness v0"],
          [segwitAddress(1, p32, { constant: BECH32 }), "bech32m required for witness v1"],
          [segwitAddress(2, p32), "unsupported witness version"],
          [segwitAddress(16, p20), "unsupported witness version"],
          [segwitAddress(31, p32), "unsupported witness version"],
          [segwitAddress(0, randomBytes(21)), "bad program length"],
          [segwitAddress(0, randomBytes(31)), "bad program length"],
          [segwitAddress(0, randomBytes(33)), "bad program length"],
          [segwitAddress(0, randomBytes(40)), "bad program length"],
          [segwitAddress(0, randomBytes(2)), "bad program length"],
          [segwitAddress(0, p20, { words: [...toWords(p20), 0] }), "bad program length"],
          [segwitAddress(1, p20), "bad program length"],
          [segwitAddress(1, randomBytes(33)), "bad program length"],
          [segwitAddress(0, p32, { words: paddedWords(p32) }), "non-zero padding"],
          [segwitAddress(1, p32, { words: paddedWords(p32) }), "non-zero padding"],
        ];
        const before = await totals();
        for (const [address, reason] of cases) {
          const expected = `BitcoinBridge: invalid Bitcoin address: ${reason}`;
          await refused(evm, () => withdraw(address, 10_000n * SATS), expected);
          await assert.rejects(scriptOf(address), (err: Error) => err.message === expected, `scriptPubKeyOf(${address}): ${expected}`);
        }
        assert.deepEqual(await totals(), before);
      });
    });

    it("costs (measured as transactions): mint and withdraw", async () => {
      const fresh = await Evm.create();
      const mintData = (recipient: string) => bridge.encodeFunctionData("mint", [recipient, 100_000n, hex(randomBytes(32)), 0]);
      const recipient = Wallet.createRandom().address;
      // The first ever: totalMintedSats and the recipient's account are created.
      const first = await fresh.transactionGas(SYSTEM_ADDRESS, BRIDGE, mintData(recipient));
      assert.ok(first < 110_000n, `first mint: ${first} gas`);
      const again = await fresh.transactionGas(SYSTEM_ADDRESS, BRIDGE, mintData(recipient));
      assert.ok(again < 70_000n, `mint to an existing account: ${again} gas`);
      const from = Wallet.createRandom().address;
      await fresh.setBalance(from, 10n * BTC);
      for (const address of [p2wpkhAddress(), p2trAddress(), p2wpkhAddress()]) {
        const gas = await fresh.transactionGas(from, BRIDGE, bridge.encodeFunctionData("withdraw", [address]), 10_000n * SATS);
        assert.ok(gas < 100_000n, `withdraw to ${address}: ${gas} gas`);
      }
    });
  });
});

function p2wpkhAddress(): string {
  return payments.p2wpkh({ pubkey: ECPair.makeRandom().publicKey, network: networks.regtest }).address!;
}

function p2trAddress(): string {
  return payments.p2tr({ internalPubkey: ECPair.makeRandom().publicKey.subarray(1, 33), network: networks.regtest }).address!;
}
