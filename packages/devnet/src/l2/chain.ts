import { EventEmitter } from "node:events";
import { Block, createBlockHeader, type HeaderData } from "@ethereumjs/block";
import type { Common } from "@ethereumjs/common";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Account, type Address, createAddressFromString, equalsBytes, hexToBytes, KECCAK256_RLP } from "@ethereumjs/util";
import { createVM, type VM } from "@ethereumjs/vm";
import { isSystemSender, putPredeploys, SYSTEM_ADDRESS } from "../bridge/predeploys.js";
import { MAX_TIMESTAMP, type VirtualClock } from "../clock/clock.js";
import { DevnetError, RpcErrorNumber } from "../errors.js";
import { bytesToHex } from "../hex.js";
import { type DevAccount, deriveDevAccounts } from "./accounts.js";
import { type ConsoleLog, captureConsole, consoleLogs, consoleRecorded } from "./console.js";
import { deriveContractAddresses } from "./contract-address.js";
import { type ExecutedBlock, fitsBlock, type MinedBlock, mineBlock } from "./miner.js";
import { createChainCommon, difficultyOf, type EvmProfile, evmOptionsFor, libOptions } from "./profile.js";
import { transactionFailed } from "./revert.js";
import { DevnetStateManager } from "./state.js";
import { BlockStore, MAX_CHAIN_BLOCKS } from "./store.js";
import { blobTransactionRefused, decodeRawTx, insufficientFunds, intrinsicGasTooLow, recoverSender, withSender } from "./transactions.js";
import { createPoolTx, feeCap, type PoolTx, TxPool } from "./txpool.js";
import type { StoredBlock, StoredReceipt } from "./types.js";
import { type Validator, ValidatorSet } from "./validators.js";

export type MiningMode = "auto" | "interval" | "manual";

export interface L2ChainConfig {
  chainId: bigint;
  profile: EvmProfile;
  mnemonic: string;
  accountCount: number;
  accountBalance: bigint;
  blockGasLimit: bigint;
  initialBaseFee: bigint;
  validators: Validator[];
  mining: { mode: MiningMode; intervalMs: number };
  /** Most gas one RPC execution (eth_call, eth_estimateGas, eth_createAccessList, debug_traceCall) may use. */
  rpcGasCap?: bigint;
  /** Longest one RPC execution may run, in ms. */
  rpcEvmTimeoutMs?: number;
  /** Most blocks the chain holds, genesis included (MAX_CHAIN_BLOCKS unless lowered). */
  maxBlocks?: number;
  /**
   * With automine, a send whose transaction fails answers with an error carrying the revert
   * data and the transaction hash, as Hardhat's node does (default true); false: the hash, as
   * Anvil and Bitlayer's own nodes answer (the receipt has status 0 either way).
   */
  throwOnTransactionFailures?: boolean;
}

export interface SubmitOptions {
  /**
   * Answer as soon as the transaction has run, before its block is sealed: for a caller whose next request
   * waits for `sealed()` (`DevnetCore.request` does), so that the block's sealing overlaps the answer's way
   * back to the client. Otherwise the answer comes once the block is in the chain.
   */
  answerBeforeSealed?: boolean;
}

export interface L2ChainEvents {
  block: [StoredBlock];
  pendingTransaction: [string];
  /** A Solidity console.log line, from a mined transaction or an eth_call. */
  console: [ConsoleLog];
  /** Something a developer should know (e.g. a contract reads 0x44 as randomness on the Bitlayer profile). */
  warning: [string];
}

/**
 * How the blocks to come are built, as the test controls set it (Hardhat keeps the same
 * settings). `install()` puts them back to the configuration's, so a reset or a state load clears them.
 */
export interface BlockSettings {
  /** evm_setBlockGasLimit: gas limit of every later block. */
  gasLimit: bigint;
  /** hardhat_setCoinbase: fee recipient of every later block (default: the proposing validator). */
  coinbase?: string;
  /** hardhat_setNextBlockBaseFeePerGas: base fee of the next block only. */
  baseFee?: bigint;
  /** hardhat_setPrevRandao: mixHash (PREVRANDAO) of the next block only. */
  prevRandao?: Uint8Array;
  /** anvil_setBlockTimestampInterval: each block is stamped this many seconds after its parent. */
  timestampInterval?: bigint;
}

/**
 * The protocol's transactions at the start of every block (Bitcoin headers for the light client, peg-in
 * mints, forced transactions), as the settlement layer supplies them while it is loaded.
 */
export interface BlockPrelude {
  /** The transactions for the block about to be built on `header` (called inside `exclusive`). */
  transactions(header: { number: bigint; timestamp: bigint; gasLimit: bigint }): Promise<PoolTx[]>;
  /** What became of them: the sealed block, and those that could not run, with why. */
  settled(block: StoredBlock, dropped: { ptx: PoolTx; error: Error }[]): void;
}

/** Largest `count` one mine call accepts: every block is kept in memory. */
export const MAX_MINE_COUNT = 100_000n;

const ZERO32 = new Uint8Array(32);

/**
 * The L2 chain: state, blocks, pool and miner, with every state change
 * serialized through one lock so concurrent clients cannot interleave.
 */
export class L2Chain extends EventEmitter<L2ChainEvents> {
  readonly config: L2ChainConfig;
  readonly clock: VirtualClock;
  readonly common: Common;
  readonly accounts: DevAccount[];
  readonly keys = new Map<string, Uint8Array>();
  vm!: VM;
  state!: DevnetStateManager;
  store!: BlockStore;
  pool!: TxPool;
  validators!: ValidatorSet;
  readonly impersonated = new Set<string>();
  /** Timestamp forced for the next block (evm_setNextBlockTimestamp). */
  nextTimestamp: bigint | undefined;
  /** Set while the settlement layer has halted the L2 (a disproved batch): why nothing is accepted or mined. */
  halted: DevnetError | undefined;
  /** The protocol's transactions for each new block, while the settlement layer is loaded. */
  prelude: BlockPrelude | undefined;
  settings!: BlockSettings;
  mining: { mode: MiningMode; intervalMs: number };
  private seq = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private mineScheduled = false;
  /**
   * Set from when an automined block's sends are answered (its transactions have run) until the block is in
   * the chain; gives the engine fault if the block could not be sealed. See `sealed`.
   */
  private sealing: Promise<DevnetError | undefined> | undefined;
  private intervalTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The VM that RPC executions on the live state reuse (see `acquireLiveVm`). */
  private liveVm: Promise<VM> | undefined;
  /** Contracts already warned about reading 0x44 (once per contract). */
  private readonly difficultyReaders = new Set<string>();

  private constructor(config: L2ChainConfig, clock: VirtualClock, accounts: DevAccount[]) {
    super();
    this.config = config;
    this.clock = clock;
    this.common = createChainCommon(config.chainId, config.profile);
    this.accounts = accounts;
    for (const a of this.accounts) this.keys.set(a.address.toLowerCase(), hexToBytes(a.privateKey as `0x${string}`));
    this.mining = { ...config.mining };
  }

  static async create(config: L2ChainConfig, clock: VirtualClock): Promise<L2Chain> {
    const chain = new L2Chain(config, clock, await deriveDevAccounts(config.mnemonic, config.accountCount));
    await chain.initGenesis();
    chain.applyMiningMode();
    return chain;
  }

  /** Runs `fn` with exclusive access to the chain's state. Never nest. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DevnetError("DEVNET_CLOSED", "the devnet is closed"));
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * The block being sealed, if any: automine answers a send once its transaction has run, then seals the
   * block (its state root and tries) while the answer travels. What the client asks next waits for this,
   * so nothing is read before the block is in the chain. Gives the engine fault if sealing failed.
   */
  sealed(): Promise<DevnetError | undefined> | undefined {
    return this.sealing;
  }

  /** Most blocks this chain holds, genesis included. */
  private get maxBlocks(): bigint {
    return BigInt(this.config.maxBlocks ?? MAX_CHAIN_BLOCKS);
  }

  get head(): StoredBlock {
    return this.store.head;
  }

  /** (Re)builds the chain from its genesis: used at start and by hardhat_reset. */
  async initGenesis(): Promise<void> {
    const state = new DevnetStateManager({ common: this.common });
    for (const account of this.accounts) {
      await state.putAccount(createAddressFromString(account.address), new Account(0n, this.config.accountBalance));
    }
    await putPredeploys(state);
    await this.install(state, new BlockStore());
    const header = createBlockHeader(
      {
        number: 0n,
        timestamp: BigInt(this.clock.genesisTimestamp),
        gasLimit: this.config.blockGasLimit,
        baseFeePerGas: this.config.initialBaseFee,
        stateRoot: await state.getStateRoot(),
        extraData: new TextEncoder().encode("bitlayer devnet (simulated)"),
        difficulty: 0n,
        mixHash: ZERO32,
        parentBeaconBlockRoot: ZERO32,
      },
      libOptions(this.common),
    );
    const block = new Block(header, [], [], [], libOptions(this.common));
    this.store.append({
      block,
      hash: bytesToHex(block.hash()),
      number: 0n,
      transactions: [],
      txHashes: [],
      senders: [],
      receipts: [],
      preStateRoot: header.stateRoot,
    });
  }

  /**
   * Makes `state` and `store` the chain's (genesis, reset, state load): a new VM over the state,
   * an empty pool, a fresh rotation. This is the one place that resets chain-level state: every
   * per-chain override (the next block's timestamp, impersonations, and any override a test
   * control adds, such as the next base fee, the coinbase or the block gas limit) goes back to its
   * default here, so that hardhat_reset and anvil_loadState both start clean. The mining mode is
   * the devnet's setting, not the chain's: `reset()` restores it, a load keeps it.
   */
  async install(state: DevnetStateManager, store: BlockStore): Promise<void> {
    deriveContractAddresses();
    const vm = await createVM({
      // A copy per VM: the EVM subscribes to its Common's "hardforkChanged" and never unsubscribes,
      // so a shared Common would keep every VM ever installed (one per reset or load) alive.
      common: this.common.copy(),
      stateManager: state,
      blockchain: this.blockchainView(),
      evmOpts: evmOptionsFor(this.config.profile, (contract) => this.warnDifficultyRead(contract.toString())),
    });
    this.vm = vm;
    this.liveVm = undefined;
    this.state = state;
    this.store = store;
    for (const p of this.pool?.clear() ?? []) p.reject(new DevnetError("INVALID_PARAMS", "the chain was reset"));
    this.pool = new TxPool();
    this.validators = new ValidatorSet(this.config.validators);
    this.impersonated.clear();
    // A new chain warns again, as a devnet just created would.
    this.difficultyReaders.clear();
    this.nextTimestamp = undefined;
    this.settings = { gasLimit: this.config.blockGasLimit };
  }

  private warnDifficultyRead(contract: string): void {
    if (this.difficultyReaders.has(contract)) return;
    this.difficultyReaders.add(contract);
    this.emit(
      "warning",
      `contract ${contract} reads block.difficulty / block.prevrandao (opcode 0x44): on Bitlayer it is the block's PoS difficulty (2 or 1), predictable, not randomness`,
    );
  }

  /** hardhat_reset: a fresh genesis (the clock must be reset first) and the configured mining mode. */
  async reset(): Promise<void> {
    await this.initGenesis();
    this.setMiningMode(this.config.mining.mode, this.config.mining.intervalMs);
  }

  /** The EVM reads past block hashes (BLOCKHASH) from the canonical chain. */
  private blockchainView() {
    const view = {
      getBlock: async (n: number) => {
        const stored = this.store.byNumber(BigInt(n));
        if (!stored) throw new Error(`block ${n} not found`);
        return stored.block;
      },
      putBlock: async () => {},
      shallowCopy: () => view,
    };
    return view;
  }

  // ---- mining -------------------------------------------------------------

  setMiningMode(mode: MiningMode, intervalMs = this.mining.intervalMs): void {
    this.mining = { mode, intervalMs };
    if (mode !== "auto") {
      // Their senders waited for automine; without it the transactions are simply pending.
      for (const ptx of this.pool?.all() ?? []) {
        if (!ptx.awaited) continue;
        ptx.awaited = false;
        ptx.resolve(undefined);
      }
    }
    this.applyMiningMode();
  }

  private applyMiningMode(): void {
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    if (this.mining.mode === "interval") {
      this.intervalTimer = setInterval(() => {
        void this.exclusive(() => this.mineLocked()).catch(() => undefined);
      }, this.mining.intervalMs);
      this.intervalTimer.unref();
    }
    if (this.mining.mode === "auto" && this.pool?.size > 0) this.scheduleMine();
  }

  /**
   * Automine: one block for everything that arrived in the same turn of the event loop (group
   * commit), then more blocks while the pool has executable transactions. A block is mined only
   * if something can go in, and the next one only if the last included something: the miner
   * never spins on a pool it cannot empty.
   */
  private scheduleMine(): void {
    if (this.mineScheduled) return;
    this.mineScheduled = true;
    setImmediate(() => {
      this.mineScheduled = false;
      if (this.mining.mode !== "auto" || this.closed) return;
      void this.exclusive(async () => {
        const ready = await this.executableTxs();
        const header = this.nextHeader();
        const includable = [...ready.values()].some((list) => fitsBlock(list[0].tx, header.baseFeePerGas, header.gasLimit));
        if (includable) {
          const block = await this.mineLocked({ candidates: ready, skipEmpty: true });
          if (block && (await this.executableTxs()).size > 0) return true;
        }
        await this.refuseWaitingLocked();
        return false;
      })
        .then((more) => {
          if (more) this.scheduleMine();
        })
        .catch(() => undefined);
    });
  }

  /**
   * Automine has nothing more it can mine: every send still waiting is answered with why its
   * transaction cannot be mined now (a predecessor was refused, its fee is below the base fee...)
   * and the transaction leaves the pool. Hardhat refuses such transactions when they arrive;
   * here they arrive together and are found out when the block is built. Call inside `exclusive`.
   */
  private async refuseWaitingLocked(): Promise<void> {
    const waiting = this.pool.all().filter((ptx) => ptx.awaited);
    if (waiting.length === 0) return;
    const nonces = await this.poolSenderNonces();
    const header = this.nextHeader();
    for (const ptx of waiting) {
      const expected = this.pool.pendingNonce(ptx.sender, nonces(ptx.sender));
      this.pool.remove(ptx.hash);
      ptx.reject(this.unminableError(ptx, nonces(ptx.sender), expected, header));
    }
  }

  private unminableError(
    ptx: PoolTx,
    stateNonce: bigint,
    expected: bigint,
    header: { baseFeePerGas: bigint; gasLimit: bigint },
  ): DevnetError {
    if (ptx.nonce < stateNonce) {
      return new DevnetError(
        "NONCE_TOO_LOW",
        `nonce too low: ${ptx.sender} has nonce ${stateNonce}, transaction ${ptx.hash} has ${ptx.nonce}`,
      );
    }
    if (ptx.nonce > expected) {
      // Hardhat's wording for a nonce gap under automine.
      return new DevnetError(
        "NONCE_TOO_HIGH",
        `Nonce too high. Expected nonce to be ${expected} but got ${ptx.nonce}. Note that transactions can't be queued when automining (an earlier transaction of ${ptx.sender} was not mined).`,
      );
    }
    if (feeCap(ptx.tx) < header.baseFeePerGas) return feeTooLow(feeCap(ptx.tx), header.baseFeePerGas);
    if (ptx.tx.gasLimit > header.gasLimit) return gasLimitTooHigh(ptx.tx.gasLimit, header.gasLimit);
    return new DevnetError("INVALID_PARAMS", `transaction ${ptx.hash} could not be mined`, { rpcCode: RpcErrorNumber.invalidInput });
  }

  /**
   * Drops pooled transactions whose nonce the sender's account has already passed (after
   * hardhat_setNonce), failing their senders' waits, as Hardhat updates its pool.
   */
  async prunePool(): Promise<void> {
    await this.exclusive(async () => {
      const nonces = await this.poolSenderNonces();
      this.pool.prune(
        nonces,
        (ptx) =>
          new DevnetError(
            "NONCE_TOO_LOW",
            `transaction ${ptx.hash} was dropped: its nonce ${ptx.nonce} is below the nonce of ${ptx.sender}, now ${nonces(ptx.sender)}`,
          ),
      );
    });
  }

  private async executableTxs(): Promise<Map<string, PoolTx[]>> {
    return this.pool.executable(await this.poolSenderNonces());
  }

  /** The state nonce of every sender with pooled transactions. Call inside `exclusive`. */
  async poolSenderNonces(): Promise<(sender: string) => bigint> {
    const nonces = new Map<string, bigint>();
    for (const sender of this.pool.senders()) nonces.set(sender, await this.nonceOf(sender));
    return (sender) => nonces.get(sender) ?? 0n;
  }

  async nonceOf(address: string): Promise<bigint> {
    return (await this.state.getAccount(createAddressFromString(address)))?.nonce ?? 0n;
  }

  /**
   * A read-only view of the state at a past root, sharing the trie database.
   * `what` names that state in the UNKNOWN_BLOCK error when it is gone (it predates a state load).
   */
  async stateAt(root: Uint8Array, what: string): Promise<DevnetStateManager> {
    const view = this.state.shallowCopy(false);
    await setRootOrRefuse(view, root, what);
    return view;
  }

  /**
   * The state a past block shows when named by number or hash: its sealed root plus what test
   * controls (hardhat_setBalance & co.) changed while it was the latest block, as Hardhat's
   * "irregular state" records it. The next block was mined on exactly that state: its pre-state root.
   */
  viewRoot(block: StoredBlock): Uint8Array {
    return this.store.byNumber(block.number + 1n)?.preStateRoot ?? block.block.header.stateRoot;
  }

  /**
   * A VM over the live state's `root` for one RPC execution (eth_call, estimates, access lists),
   * with nothing of the chain's own VM touched. The same copy each time, moved to the root when it
   * changed: a fresh copy per call cost ~2 ms (4-5x an eth_call). Call inside `exclusive`; take a
   * checkpoint on it and give it back with `releaseLiveVm`.
   */
  async acquireLiveVm(root: Uint8Array): Promise<VM> {
    this.liveVm ??= this.vm.shallowCopy();
    const vm = await this.liveVm;
    if (!equalsBytes(await vm.stateManager.getStateRoot(), root)) await setRootOrRefuse(vm.stateManager, root, "the current state");
    return vm;
  }

  /**
   * Undoes the execution's checkpoint. An execution aborted mid-way (a time or size bound thrown
   * from inside the EVM) may leave more open: that VM is dropped, never reused half-done.
   */
  async releaseLiveVm(vm: VM): Promise<void> {
    const state = vm.stateManager as DevnetStateManager;
    if (state.checkpointDepth === 1) await state.revert();
    else this.liveVm = undefined;
  }

  /** A VM over the state at a past root (calls and traces at old blocks); see `stateAt`. */
  async vmAt(root: Uint8Array, what: string): Promise<VM> {
    const vm = await this.vm.shallowCopy();
    await setRootOrRefuse(vm.stateManager, root, what);
    return vm;
  }

  /** Base fee of the next block (EIP-1559, from the latest block, unless hardhat_setNextBlockBaseFeePerGas set it). */
  nextBaseFee(): bigint {
    return this.settings.baseFee ?? this.head.block.header.calcNextBaseFee();
  }

  /**
   * Timestamp of the next block, unless one is forced: the clock's time, or the parent's plus the
   * timestamp interval, and always at least the parent's + 1 (timestamps strictly increase; an
   * interval of 0 gives + 1, as Hardhat does for hardhat_mine's interval 0).
   */
  nextBlockTimestamp(): bigint {
    if (this.nextTimestamp !== undefined) return this.nextTimestamp;
    const parent = this.head.block.header.timestamp;
    const interval = this.settings.timestampInterval;
    if (interval !== undefined) return parent + (interval > 0n ? interval : 1n);
    const now = BigInt(this.clock.now());
    return now > parent ? now : parent + 1n;
  }

  /** Header fields of the next block, as the miner would produce it now. */
  nextHeader(timestamp?: bigint): HeaderData & { number: bigint; gasLimit: bigint; baseFeePerGas: bigint; timestamp: bigint } {
    const parent = this.head.block.header;
    const ts = timestamp ?? this.nextBlockTimestamp();
    const number = parent.number + 1n;
    const proposer = this.validators.peekProposer().address;
    return {
      parentHash: parent.hash(),
      number,
      timestamp: ts,
      gasLimit: this.settings.gasLimit,
      coinbase: createAddressFromString(this.settings.coinbase ?? proposer),
      baseFeePerGas: this.nextBaseFee(),
      // Bitlayer's PoS engine stamps 2 on in-turn blocks, 1 otherwise; post-Merge rules want 0.
      difficulty:
        this.config.profile === "bitlayer"
          ? difficultyOf(
              number,
              proposer,
              this.validators.validators.map((v) => v.address),
            )
          : 0n,
      mixHash: this.settings.prevRandao ?? (this.config.profile === "bitlayer" ? ZERO32 : parent.hash()),
      parentBeaconBlockRoot: ZERO32,
      withdrawalsRoot: KECCAK256_RLP,
    };
  }

  /**
   * Mines one block with whatever is executable. With `skipEmpty` (automine), a block that would
   * include nothing is not added (its candidates were all refused): `undefined`. Call inside `exclusive`.
   */
  async mineLocked(options?: { timestamp?: bigint; candidates?: Map<string, PoolTx[]> }): Promise<StoredBlock>;
  async mineLocked(options: { candidates?: Map<string, PoolTx[]>; skipEmpty: true }): Promise<StoredBlock | undefined>;
  async mineLocked(
    options: { timestamp?: bigint; candidates?: Map<string, PoolTx[]>; skipEmpty?: boolean } = {},
  ): Promise<StoredBlock | undefined> {
    const parentTs = this.head.block.header.timestamp;
    const ts = options.timestamp ?? this.nextTimestamp;
    if (ts !== undefined && ts <= parentTs) {
      throw new DevnetError("INVALID_TIMESTAMP", `timestamp ${ts} must be greater than the latest block's ${parentTs}`);
    }
    const header = this.nextHeader(ts);
    // Past either bound no block can be mined: what automine handed over can never be included.
    const bound =
      this.halted ??
      (header.timestamp > BigInt(MAX_TIMESTAMP)
        ? timestampTooLarge(header.timestamp)
        : header.number >= this.maxBlocks
          ? chainFull(1n, this.maxBlocks)
          : undefined);
    if (bound) {
      for (const ptx of [...(options.candidates?.values() ?? [])].flat()) {
        this.pool.remove(ptx.hash);
        ptx.reject(bound);
      }
      throw bound;
    }
    const candidates = options.candidates ?? (await this.executableTxs());
    const preStateRoot = await this.state.getStateRoot();
    const prelude = (await this.prelude?.transactions(header)) ?? [];
    let mined: MinedBlock;
    let logged: Map<unknown, Uint8Array[]>;
    let endSealing: ((fault?: DevnetError) => void) | undefined;
    // Automine's senders learn their outcomes as soon as the transactions have run, when one of them can take
    // its answer before the block is sealed (the others still wait for it, in submit). A send's console.log
    // lines go out before its answer, and they are decoded once the block is sealed: with any, answers wait.
    const answerBeforeSealing = (executed: ExecutedBlock) => {
      if (consoleRecorded(this.vm) || !executed.included.some((ptx) => ptx.awaited && ptx.answerBeforeSealed)) return;
      this.sealing = new Promise((resolve) => {
        endSealing = resolve;
      });
      answerIncluded(executed);
    };
    try {
      ({ value: mined, logs: logged } = await captureConsole(this.vm, () =>
        mineBlock(this.vm, this.common, header, candidates, preStateRoot, prelude, answerBeforeSealing),
      ));
    } catch (error) {
      // An engine fault, not a bad transaction (those are dropped one by one): put the state
      // back and fail the candidates, rather than leave their senders waiting forever.
      await this.state.setStateRoot(preStateRoot);
      const fault = new DevnetError("INTERNAL_ERROR", `mining failed: ${(error as Error).message}`);
      for (const ptx of [...candidates.values()].flat()) {
        this.pool.remove(ptx.hash);
        ptx.reject(fault);
      }
      this.endSealing(endSealing, fault);
      throw fault;
    }
    try {
      return await this.addMined(mined, logged, header, ts, prelude, options.skipEmpty);
    } finally {
      this.endSealing(endSealing);
    }
  }

  private endSealing(end: ((fault?: DevnetError) => void) | undefined, fault?: DevnetError): void {
    if (!end) return;
    this.sealing = undefined;
    end(fault);
  }

  /** The rest of `mineLocked`: the mined block joins the chain, and its senders get their answers. */
  private async addMined(
    mined: MinedBlock,
    logged: Map<unknown, Uint8Array[]>,
    header: { timestamp: bigint },
    ts: bigint | undefined,
    prelude: PoolTx[],
    skipEmpty: boolean | undefined,
  ): Promise<StoredBlock | undefined> {
    const droppedPrelude = mined.dropped.filter((d) => prelude.includes(d.ptx));
    for (const { ptx, error } of mined.dropped) {
      if (prelude.includes(ptx)) continue;
      this.pool.remove(ptx.hash);
      ptx.reject(error);
    }
    // Nothing changed the state: every candidate was undone and refused.
    if (skipEmpty && mined.included.length === 0) return undefined;
    // Decoded before anything is answered, so a send's console.log lines are out when its answer is.
    const lines: ConsoleLog[] = [];
    if (logged.size > 0) {
      for (const ptx of mined.included) {
        const source = { kind: "transaction" as const, transactionHash: ptx.hash, blockNumber: mined.stored.number };
        lines.push(...(await consoleLogs(logged.get(ptx.tx) ?? [], source)));
      }
    }
    this.validators.nextProposer();
    // The clock never lags the chain: a block stamped ahead of it (parent + 1 s, a forced
    // timestamp, hardhat_mine's interval) means that much time has passed.
    if (Number(header.timestamp) > this.clock.now() || ts !== undefined) this.clock.setNow(Number(header.timestamp));
    this.nextTimestamp = undefined;
    this.settings.baseFee = undefined;
    this.settings.prevRandao = undefined;
    this.store.append(mined.stored);
    if (prelude.length > 0) this.prelude?.settled(mined.stored, droppedPrelude);
    for (const ptx of mined.included) this.pool.remove(ptx.hash);
    answerIncluded({ included: mined.included, receipts: mined.stored.receipts, exceptions: mined.exceptions });
    this.emit("block", mined.stored);
    for (const line of lines) this.emit("console", line);
    return mined.stored;
  }

  /**
   * Mines `count` blocks, `interval` seconds apart (hardhat_mine). An interval of 0 is accepted,
   * as by Hardhat and Anvil, and means 1 s, as in Hardhat: no two blocks share a timestamp.
   * Refused whole, before any block is mined, if the last block would pass MAX_TIMESTAMP.
   */
  async mine(count = 1n, interval = 1n, timestamp?: bigint): Promise<StoredBlock[]> {
    if (count < 0n || count > MAX_MINE_COUNT) {
      throw new DevnetError("INVALID_PARAMS", `block count must be between 0 and ${MAX_MINE_COUNT}, got ${count}`);
    }
    if (interval > BigInt(MAX_TIMESTAMP)) throw timestampTooLarge(interval, "interval");
    const step = interval > 0n ? interval : 1n;
    return this.exclusive(async () => {
      if (this.halted) throw this.halted;
      if (this.store.height + count >= this.maxBlocks) throw chainFull(count, this.maxBlocks);
      if (count > 0n) {
        const first = timestamp ?? this.nextBlockTimestamp();
        const last = first + (count - 1n) * step;
        if (last > BigInt(MAX_TIMESTAMP)) throw timestampTooLarge(last, count > 1n ? `the last of ${count} blocks' timestamp` : undefined);
      }
      const blocks: StoredBlock[] = [];
      for (let i = 0n; i < count; i++) {
        const ts = i === 0n ? timestamp : this.head.block.header.timestamp + step;
        blocks.push(await this.mineLocked({ timestamp: ts }));
        await new Promise((r) => setImmediate(r)); // let the server answer between blocks
      }
      // Sends still waiting for automine (a predecessor dropped in these blocks) get their answer.
      if (this.mining.mode === "auto" && this.pool.size > 0) this.scheduleMine();
      return blocks;
    });
  }

  // ---- transactions -------------------------------------------------------

  /** Decodes a raw transaction and recovers its sender once. */
  decodeRaw(raw: Uint8Array): { tx: TypedTransaction; sender: string } {
    const tx = decodeRawTx(raw, this.common, this.config.profile);
    let sender: Address;
    try {
      sender = recoverSender(tx);
    } catch {
      throw new DevnetError("INVALID_SIGNATURE", "invalid transaction signature");
    }
    // The library derives the address from the public key (JS keccak) on every call; runTx asks
    // several times. Pin the recovered sender, then freeze so hashes are cached as usual.
    Object.freeze(withSender(tx, sender));
    return { tx, sender: sender.toString() };
  }

  /**
   * Validates and pools a transaction; in automine mode, waits until it is mined
   * (if it can run now) so its receipt exists when the call returns. Every wait ends:
   * the transaction is mined, or refused with the reason it cannot be (see `refuseWaitingLocked`).
   * A failed transaction answers with TRANSACTION_FAILED unless `throwOnTransactionFailures` is off.
   * With `answerBeforeSealed`, the answer may come while its block is still being sealed (see `sealed`).
   */
  async submit(
    tx: TypedTransaction | ((pendingNonce: bigint) => TypedTransaction),
    sender: string,
    options: SubmitOptions = {},
  ): Promise<string> {
    const from = sender.toLowerCase();
    // A builder gets the sender's next nonce inside the lock, so concurrent sends never share one.
    const ptx = await this.exclusive(async () =>
      this.admitLocked(typeof tx === "function" ? tx(this.pool.pendingNonce(from, await this.nonceOf(from))) : tx, from),
    );
    this.emit("pendingTransaction", ptx.hash);
    if (ptx.awaited) {
      ptx.answerBeforeSealed = options.answerBeforeSealed === true;
      this.scheduleMine();
      const outcome = await ptx.inclusion;
      const sealing = ptx.answerBeforeSealed ? undefined : this.sealing;
      const fault = sealing && (await sealing);
      if (fault) throw fault;
      if (outcome?.exception !== undefined && this.config.throwOnTransactionFailures !== false) {
        throw await transactionFailed(ptx.hash, outcome.receipt.revertData ?? "0x", outcome.exception);
      }
    }
    return ptx.hash;
  }

  private async admitLocked(tx: TypedTransaction, sender: string): Promise<PoolTx> {
    if (this.halted) throw this.halted;
    if (isSystemSender(sender)) {
      throw new DevnetError(
        "INVALID_PARAMS",
        `${SYSTEM_ADDRESS} is the system account: only the devnet itself sends from it (Bitcoin headers and peg-in mints)`,
      );
    }
    if (tx.type === 3) throw blobTransactionRefused();
    const hash = bytesToHex(tx.isSigned() ? tx.hash() : new Uint8Array(32));
    if (this.store.findTx(hash) || this.pool.get(hash)) {
      throw new DevnetError("ALREADY_KNOWN", `transaction ${hash} is already known`);
    }
    const account = (await this.state.getAccount(createAddressFromString(sender))) ?? new Account();
    if (tx.nonce < account.nonce) {
      throw new DevnetError("NONCE_TOO_LOW", `nonce too low: ${sender} has nonce ${account.nonce}, transaction has ${tx.nonce}`);
    }
    const intrinsic = tx.getIntrinsicGas();
    if (tx.gasLimit < intrinsic) {
      throw intrinsicGasTooLow(tx.gasLimit, intrinsic);
    }
    // What could never be mined is refused in every mining mode, so the pool holds none of it.
    if (tx.gasLimit > this.settings.gasLimit) throw gasLimitTooHigh(tx.gasLimit, this.settings.gasLimit);
    const cost = tx.getUpfrontCost();
    if (account.balance < cost) throw insufficientFunds(sender, account.balance, cost);
    const nextBaseFee = this.nextBaseFee();
    if (feeCap(tx) < nextBaseFee) throw feeTooLow(feeCap(tx), nextBaseFee);
    const ptx = this.poolTx(tx, hash, sender);
    this.pool.add(ptx);
    ptx.awaited = this.mining.mode === "auto" && ptx.nonce < this.pool.pendingNonce(sender, account.nonce);
    return ptx;
  }

  private poolTx(tx: TypedTransaction, hash: string, sender: string): PoolTx {
    return createPoolTx(tx, hash, sender, this.seq++, this.impersonated.has(sender) && !this.keys.has(sender));
  }

  /** Replaces the pool's content (snapshot revert, state load). Call inside `exclusive`. */
  restorePool(entries: { tx: TypedTransaction; hash: string; sender: string }[]): void {
    for (const dropped of this.pool.clear())
      dropped.reject(new DevnetError("INVALID_PARAMS", `transaction ${dropped.hash} was dropped: the state was restored`));
    for (const { tx, hash, sender } of entries) this.pool.add(this.poolTx(tx, hash, sender));
    if (this.mining.mode === "auto" && this.pool.size > 0) this.scheduleMine();
  }

  /**
   * evm_setBlockGasLimit: the gas limit of every later block. Pooled transactions that no longer
   * fit in a block are dropped with an error, as Hardhat's pool drops them. Call inside `exclusive`.
   */
  setBlockGasLimit(gasLimit: bigint): void {
    this.settings.gasLimit = gasLimit;
    for (const ptx of this.pool.all()) {
      if (ptx.tx.gasLimit <= gasLimit) continue;
      this.pool.remove(ptx.hash);
      ptx.reject(
        new DevnetError(
          "GAS_LIMIT_TOO_HIGH",
          `transaction ${ptx.hash} was dropped: its gas limit ${ptx.tx.gasLimit} exceeds the new block gas limit ${gasLimit}`,
        ),
      );
    }
  }

  /** Removes a pending transaction (hardhat_dropTransaction). */
  async dropTransaction(hash: string): Promise<boolean> {
    return this.exclusive(async () => {
      const ptx = this.pool.remove(hash);
      ptx?.reject(new DevnetError("INVALID_PARAMS", `transaction ${hash} was dropped`));
      return ptx !== undefined;
    });
  }

  receipt(hash: string): { block: StoredBlock; receipt: StoredReceipt } | undefined {
    const loc = this.store.findTx(hash);
    return loc && { block: loc.block, receipt: loc.block.receipts[loc.index] };
  }

  // ---- lifecycle ----------------------------------------------------------

  close(): void {
    this.closed = true;
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    for (const ptx of this.pool.clear()) ptx.reject(new DevnetError("DEVNET_CLOSED", "the devnet was closed"));
  }
}

/** The refusal of a time past MAX_TIMESTAMP (INVALID_TIMESTAMP, -32000 as Hardhat's timestamp errors). */
export function timestampTooLarge(value: bigint, what = "timestamp"): DevnetError {
  return new DevnetError(
    "INVALID_TIMESTAMP",
    `${what} ${value} is too large: block timestamps must not exceed ${MAX_TIMESTAMP} (2^53 - 1 seconds)`,
  );
}

/** Gives the senders of a block's transactions their outcomes (again is harmless: the first answer stays). */
function answerIncluded({ included, receipts, exceptions }: ExecutedBlock): void {
  for (const [i, ptx] of included.entries()) ptx.resolve({ receipt: receipts[i], exception: exceptions.get(ptx.hash) });
}

/** The chain holds MAX_CHAIN_BLOCKS already (or would past `count` more): LIMIT_EXCEEDED, nothing mined. */
function chainFull(count: bigint, max: bigint): DevnetError {
  return new DevnetError(
    "LIMIT_EXCEEDED",
    `the chain is full: ${count === 1n ? "a block" : `${count} blocks`} more would pass its bound of ${max} blocks (maxBlocks, at most MAX_CHAIN_BLOCKS = ${MAX_CHAIN_BLOCKS}, genesis included: every block is kept in memory); nothing was mined. hardhat_reset starts over`,
  );
}

/** Anvil's wording ("max fee per gas less than block base fee") and code (-32003, transaction rejected). */
function feeTooLow(cap: bigint, baseFee: bigint): DevnetError {
  return new DevnetError("FEE_TOO_LOW", `max fee per gas less than block base fee: ${cap} < ${baseFee} (the next block's)`);
}

function gasLimitTooHigh(gasLimit: bigint, blockGasLimit: bigint): DevnetError {
  return new DevnetError("GAS_LIMIT_TOO_HIGH", `gas limit ${gasLimit} exceeds the block gas limit ${blockGasLimit}`);
}

async function setRootOrRefuse(state: VM["stateManager"], root: Uint8Array, what: string): Promise<void> {
  if (!(await state.hasStateRoot(root))) throw new DevnetError("UNKNOWN_BLOCK", `${what} is not available (it predates a state load)`);
  await state.setStateRoot(root);
}
