/**
 * The devnet's dev wallet: a single-key-type descriptor wallet like Bitcoin Core's default one
 * (`wpkh` BIP84 keys, regtest `bcrt1q…` addresses, receive branch /0/*, change branch /1/*), over a
 * {@link BitcoinChain}. It holds no transaction history of its own: its coins are the chain's unspent
 * outputs (confirmed, and in the mempool) paid to its scripts, so payments from anyone are seen at once.
 * Its only state is the next receive and change index ({@link BitcoinWallet.capture}).
 *
 * @module
 */
import { script as bjsScript, Transaction } from "bitcoinjs-lib";
import type { ExtendedKey } from "../bip32.js";
import type { BitcoinChain } from "./chain.js";
import { prevoutTxid } from "./coins.js";
import { BitcoinChainError, BitcoinTxRejected } from "./errors.js";
import {
  CHANGE_BRANCH,
  childPublicKey,
  deriveWalletKey,
  p2wpkhAddress,
  p2wpkhScript,
  RECEIVE_BRANCH,
  signEcdsa,
  walletAccount,
} from "./keys.js";
import { COINBASE_MATURITY, MAX_MONEY, MIN_RELAY_FEE_PER_KVB } from "./params.js";
import { dustThreshold } from "./policy.js";
import { descriptorChecksum } from "./rpc/script.js";

/**
 * The wallet's fee rate when none is given: 0.0002 BTC/kvB (20 sat/vB), the `fallbackfee` Bitcoin Core's
 * functional tests run regtest wallets with (a fresh regtest node has no fee estimates, and Core's own
 * default fallback fee is 0, which makes sendtoaddress fail).
 */
export const WALLET_FEE_RATE_PER_KVB = 20_000n;
/** Core's DEFAULT_TRANSACTION_MAXFEE: a wallet transaction paying more than 0.1 BTC in fees is refused. */
export const MAX_WALLET_TX_FEE = 10_000_000n;
/** Core's DEFAULT_DISCARD_FEE (sat/kvB): change worth less than spending it at this rate is dropped into the fee. */
export const DISCARD_FEE_RATE_PER_KVB = 10_000n;
/**
 * Addresses past the last one handed out that are still recognised: BIP44's gap limit of 20 (Core's keypool
 * keeps 1,000, but each costs a key derivation of ~2.5 ms here, paid when a wallet is created or restored).
 */
export const DEFAULT_LOOKAHEAD = 20;
/**
 * Highest address index handed out on each branch: every address up to it stays recognised, and each
 * costs a key derivation when a wallet is created or restored, so the devnet bounds it.
 */
export const MAX_ADDRESS_INDEX = 10_000;
/** Core's nSequence for wallet inputs signalling BIP125 replaceability (`-walletrbf`, default on since v24). */
const SEQUENCE_RBF = 0xfffffffd;
const SEQUENCE_NO_RBF = 0xfffffffe;
/** Weight units of a P2WPKH input's witness with Core's dummy 72-byte signature (used to size fees before signing). */
const DUMMY_SIGNATURE = new Uint8Array(72);
/** vbytes of spending a P2WPKH output (Core's change_spend_size for wpkh change). */
const P2WPKH_INPUT_VSIZE = 68n;

/** The wallet's only state: how many receive and change addresses it has used. Plain JSON. */
export interface BitcoinWalletState {
  version: 1;
  /** Index of the next receive address (m/84'/1'/0'/0/i). */
  receiveIndex: number;
  /** Index of the next change address (m/84'/1'/0'/1/i). */
  changeIndex: number;
}

/** Settings of a {@link BitcoinWallet}: configuration, not state. */
export interface BitcoinWalletOptions {
  /** BIP-39 mnemonic the keys derive from. */
  mnemonic: string;
  /** The wallet's name (served at `/wallet/<name>`; default `""`, Core's default wallet name). */
  name?: string;
  /** Addresses past the last one handed out that are recognised (default {@link DEFAULT_LOOKAHEAD}). */
  lookahead?: number;
}

/** A coin of the wallet, with what Core's listunspent shows about it. */
export interface WalletCoin {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
  address: string;
  branch: number;
  index: number;
  /** 0 while in the mempool. */
  confirmations: number;
  coinbase: boolean;
  /** A coinbase with fewer than 101 confirmations (Core's wallet waits one block more than consensus). */
  immature: boolean;
  /** Core's "safe": confirmed, or unconfirmed and paid by this wallet only (its own change). */
  safe: boolean;
  /** Handed out by getNewAddress (Core gives those the label ""); change and look-ahead addresses have none. */
  labelled: boolean;
}

/** Filters of {@link BitcoinWallet.listUnspent}, with Core's defaults. */
export interface ListUnspentOptions {
  minconf?: number;
  maxconf?: number;
  /** Only coins paid to these scripts. */
  scripts?: Uint8Array[];
  includeUnsafe?: boolean;
  includeImmatureCoinbase?: boolean;
}

/** Options of {@link BitcoinWallet.sendToAddress}. */
export interface SendOptions {
  /** The recipient pays the fee out of the amount. */
  subtractFeeFromAmount?: boolean;
  /** Fee rate in sat/kvB (default {@link WALLET_FEE_RATE_PER_KVB}). */
  feeRatePerKvB?: bigint;
  /** BIP125 signal (default true, as Core's -walletrbf). */
  replaceable?: boolean;
  /** Outputs paid besides the recipient (after it, before the change): e.g. an OP_RETURN with data, as Core's `send` takes `{"data": hex}`. */
  extraOutputs?: { script: Uint8Array; value: bigint }[];
}

/** What {@link BitcoinWallet.sendToAddress} sent. */
export interface SendResult {
  txid: string;
  tx: Transaction;
  fee: bigint;
  /** Output index of the change, if there is change. */
  changeVout?: number;
}

/** Why the wallet refused to send: Core's wallet error text, and which of Core's RPC codes it answers with. */
export class BitcoinWalletError extends Error {
  override readonly name = "BitcoinWalletError";
  constructor(
    /** `INSUFFICIENT_FUNDS` → -6 (every CreateTransaction failure), `WALLET_ERROR` → -4, `KEYPOOL_RAN_OUT` → -12. */
    readonly kind: "INSUFFICIENT_FUNDS" | "WALLET_ERROR" | "KEYPOOL_RAN_OUT",
    message: string,
  ) {
    super(message);
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Core's CFeeRate::ToString(SAT_VB): `1.000 sat/vB`. */
function formatSatPerVb(perKvB: bigint): string {
  return `${perKvB / 1000n}.${(perKvB % 1000n).toString().padStart(3, "0")} sat/vB`;
}

function feeFor(perKvB: bigint, vsize: number): bigint {
  return (perKvB * BigInt(vsize) + 999n) / 1000n; // Core's CFeeRate::GetFee rounds up
}

/**
 * A dev wallet over a simulated chain.
 *
 * @example
 * ```ts
 * const wallet = new BitcoinWallet(chain, { mnemonic });
 * const address = wallet.getNewAddress(); // "bcrt1q…"
 * chain.mine({ timestamp, payoutScript: wallet.scriptOf(address)!, count: 101 });
 * wallet.balance(); // 5000000000n: block 1's coinbase has matured
 * const { txid } = wallet.sendToAddress("bcrt1q…", 100_000_000n);
 * const saved = wallet.capture(); // { version: 1, receiveIndex: 1, changeIndex: 1 }
 * ```
 */
export class BitcoinWallet {
  readonly name: string;
  private readonly mnemonic: string;
  private readonly lookahead: number;
  private readonly fingerprint: string;
  private readonly accountXpub: string;
  private readonly branches: ExtendedKey[];
  private state: BitcoinWalletState = { version: 1, receiveIndex: 0, changeIndex: 0 };
  /** Script hex → where its key is; filled up to index + lookahead on each branch. */
  private readonly scripts = new Map<string, { branch: number; index: number; address: string; publicKey: Uint8Array }>();
  private readonly derived = [0, 0];

  constructor(
    readonly chain: BitcoinChain,
    options: BitcoinWalletOptions,
  ) {
    const lookahead = options.lookahead ?? DEFAULT_LOOKAHEAD;
    if (!Number.isSafeInteger(lookahead) || lookahead < 1 || lookahead > 10_000)
      throw new BitcoinChainError("lookahead must be an integer in [1, 10000]");
    if (options.name !== undefined && (typeof options.name !== "string" || options.name.length > 256)) {
      throw new BitcoinChainError("wallet name must be a string of at most 256 characters");
    }
    this.name = options.name ?? "";
    this.mnemonic = options.mnemonic;
    this.lookahead = lookahead;
    // Public derivation from the account's xpub: addresses need no private keys.
    const account = walletAccount(options.mnemonic);
    this.fingerprint = account.fingerprint;
    this.accountXpub = account.xpub;
    this.branches = account.branches;
    this.topUp();
  }

  /** Derives addresses up to each branch's next index + lookahead. */
  private topUp(): void {
    const targets = [this.state.receiveIndex + this.lookahead, this.state.changeIndex + this.lookahead];
    for (const branch of [RECEIVE_BRANCH, CHANGE_BRANCH]) {
      for (let index = this.derived[branch]; index < targets[branch]; index++) {
        const publicKey = childPublicKey(this.branches[branch], index).key;
        this.scripts.set(hex(p2wpkhScript(publicKey)), { branch, index, address: p2wpkhAddress(publicKey), publicKey });
      }
      this.derived[branch] = Math.max(this.derived[branch], targets[branch]);
    }
  }

  /** The next receive address (bech32 regtest P2WPKH), as Core's getnewaddress. */
  getNewAddress(): string {
    const index = this.state.receiveIndex;
    if (index >= MAX_ADDRESS_INDEX)
      throw new BitcoinWalletError("KEYPOOL_RAN_OUT", "Error: Keypool ran out, please call keypoolrefill first");
    const address = p2wpkhAddress(childPublicKey(this.branches[RECEIVE_BRANCH], index).key);
    this.state = { ...this.state, receiveIndex: index + 1 };
    this.topUp();
    return address;
  }

  /** Whether the wallet has the key of an output script. */
  isMine(script: Uint8Array): boolean {
    return this.scripts.has(hex(script));
  }

  /** Where the key of one of the wallet's scripts is. */
  keyInfo(script: Uint8Array): { branch: number; index: number; address: string; publicKey: Uint8Array } | undefined {
    return this.scripts.get(hex(script));
  }

  /**
   * Core's descriptor of one of the wallet's scripts, with key origin (`wpkh([fingerprint/84h/1h/0h/0/3]02…)#…`).
   */
  coinDescriptor(script: Uint8Array): string | undefined {
    const info = this.keyInfo(script);
    if (!info) return undefined;
    const desc = `wpkh([${this.fingerprint}/84h/1h/0h/${info.branch}/${info.index}]${hex(info.publicKey)})`;
    return `${desc}#${descriptorChecksum(desc)}`;
  }

  /** The wallet's ranged descriptor of a branch, as Core's listdescriptors and `parent_descs` show it. */
  branchDescriptor(branch: number): string {
    const desc = `wpkh([${this.fingerprint}/84h/1h/0h]${this.accountXpub}/${branch}/*)`;
    return `${desc}#${descriptorChecksum(desc)}`;
  }

  /** Whether a mempool transaction is one the wallet trusts (Core's CachedTxIsTrusted at depth 0). */
  private trustedInMempool(txid: string, seen = new Map<string, boolean>()): boolean {
    const known = seen.get(txid);
    if (known !== undefined) return known;
    seen.set(txid, false); // a cycle cannot happen in a valid mempool; guards recursion all the same
    const tx = this.chain.getTransaction(txid)?.tx;
    // Every input must spend one of our outputs, from a confirmed transaction or a trusted mempool one.
    const trusted =
      tx?.ins.every((input) => {
        const parentId = prevoutTxid(input.hash);
        const parent = this.chain.getTransaction(parentId);
        const out = parent?.tx.outs[input.index];
        if (!parent || !out || !this.isMine(out.script)) return false;
        return parent.height !== undefined || this.trustedInMempool(parentId, seen);
      }) ?? false;
    seen.set(txid, trusted);
    return trusted;
  }

  /** Every unspent coin of the wallet: confirmed ones and mempool outputs, less those a mempool transaction spends. */
  coins(): WalletCoin[] {
    const tip = this.chain.height;
    const mempool = this.chain.mempoolEntries();
    const spent = new Set<string>();
    for (const entry of mempool) for (const input of entry.tx.ins) spent.add(`${prevoutTxid(input.hash)}:${input.index}`);
    const coins: WalletCoin[] = [];
    const add = (txid: string, vout: number, value: bigint, script: Uint8Array, height: number | undefined, coinbase: boolean) => {
      const info = this.keyInfo(script);
      if (!info || spent.has(`${txid}:${vout}`)) return;
      const confirmations = height === undefined ? 0 : tip - height + 1;
      coins.push({
        txid,
        vout,
        value,
        script,
        address: info.address,
        branch: info.branch,
        index: info.index,
        confirmations,
        coinbase,
        immature: coinbase && confirmations < COINBASE_MATURITY + 1,
        safe: confirmations > 0 || this.trustedInMempool(txid),
        labelled: info.branch === RECEIVE_BRANCH && info.index < this.state.receiveIndex,
      });
    };
    for (const { txid, vout, coin } of this.chain.listCoins()) add(txid, vout, coin.value, coin.script, coin.height, coin.coinbase);
    for (const entry of mempool) {
      entry.tx.outs.forEach((out, vout) => {
        add(entry.txid, vout, out.value, out.script, undefined, false);
      });
    }
    return coins;
  }

  /**
   * Core's getbalance: trusted coins with at least `minconf` confirmations (default 0), mature coinbases
   * only; unconfirmed coins count only when the wallet paid them itself (its change). In satoshis.
   */
  balance(minconf = 0): bigint {
    return this.coins()
      .filter((c) => c.safe && !c.immature && c.confirmations >= minconf)
      .reduce((sum, c) => sum + c.value, 0n);
  }

  /** Core's listunspent filters (AvailableCoins), ordered by confirmations (most first), then outpoint. */
  listUnspent(options: ListUnspentOptions = {}): WalletCoin[] {
    const minconf = options.minconf ?? 1;
    const maxconf = options.maxconf ?? 9_999_999;
    const only = options.scripts?.map(hex);
    return this.coins()
      .filter((c) => options.includeImmatureCoinbase || !c.immature)
      .filter((c) => (options.includeUnsafe ?? true) || c.safe)
      .filter((c) => c.confirmations >= minconf && c.confirmations <= maxconf)
      .filter((c) => !only || only.includes(hex(c.script)))
      .sort((a, b) => b.confirmations - a.confirmations || (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.vout - b.vout));
  }

  /**
   * Builds, signs and submits a P2WPKH payment, as Core's sendtoaddress: coins chosen largest first
   * (confirmed before the wallet's own unconfirmed change), change to a new internal address unless it
   * is worth less than spending it, fee at {@link WALLET_FEE_RATE_PER_KVB} on the size with Core's dummy
   * 72-byte signatures, nLockTime at the tip height (anti fee sniping), BIP125 signalled.
   * @throws {BitcoinWalletError} with Core's wallet error text; nothing changes then.
   */
  sendToAddress(payTo: Uint8Array, amount: bigint, options: SendOptions = {}): SendResult {
    const rate = options.feeRatePerKvB ?? WALLET_FEE_RATE_PER_KVB;
    if (amount < 0n || amount > MAX_MONEY) throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "Transaction amounts must not be negative");
    if (amount < dustThreshold(payTo)) throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "Transaction amount too small");
    if (rate < MIN_RELAY_FEE_PER_KVB) {
      throw new BitcoinWalletError(
        "INSUFFICIENT_FUNDS",
        `Fee rate (${formatSatPerVb(rate)}) is lower than the minimum fee rate setting (${formatSatPerVb(MIN_RELAY_FEE_PER_KVB)})`,
      );
    }
    const sffo = options.subtractFeeFromAmount ?? false;
    const changeIndex = this.state.changeIndex;
    if (changeIndex >= MAX_ADDRESS_INDEX) {
      throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "Transaction needs a change address, but we can't generate it.");
    }
    const changeKey = childPublicKey(this.branches[CHANGE_BRANCH], changeIndex).key;
    const changeScript = p2wpkhScript(changeKey);
    const eligible = this.listUnspent({ minconf: 0, includeUnsafe: false }).sort(
      (a, b) => Number(b.confirmations > 0) - Number(a.confirmations > 0) || (b.value > a.value ? 1 : b.value < a.value ? -1 : 0),
    );
    const build = (inputs: WalletCoin[], outputs: { script: Uint8Array; value: bigint }[]) => {
      const tx = new Transaction();
      tx.version = 2;
      tx.locktime = this.chain.height;
      for (const coin of inputs) {
        tx.addInput(Buffer.from(coin.txid, "hex").reverse(), coin.vout, options.replaceable === false ? SEQUENCE_NO_RBF : SEQUENCE_RBF);
      }
      for (const out of outputs) tx.addOutput(out.script, out.value);
      return tx;
    };
    const extra = options.extraOutputs ?? [];
    const extraValue = extra.reduce((sum, o) => sum + o.value, 0n);
    const estimateFee = (inputs: WalletCoin[], withChange: boolean) => {
      const tx = build(inputs, [{ script: payTo, value: amount }, ...extra, ...(withChange ? [{ script: changeScript, value: 0n }] : [])]);
      inputs.forEach((coin, i) => {
        tx.setWitness(i, [DUMMY_SIGNATURE, this.keyInfo(coin.script)!.publicKey]);
      });
      return feeFor(rate, tx.virtualSize());
    };
    // Change worth less than spending it later (or dust) is given to the fee, as Core's min_viable_change.
    const minViableChange = (() => {
      const spendFee = (DISCARD_FEE_RATE_PER_KVB * P2WPKH_INPUT_VSIZE + 999n) / 1000n;
      const dust = dustThreshold(changeScript);
      return spendFee + 1n > dust ? spendFee + 1n : dust;
    })();
    // Coins are added largest first until they pay the amount and the fee, with viable change or none.
    const chosen: WalletCoin[] = [];
    let total = 0n;
    let plan: { received: bigint; change: bigint } | undefined;
    for (const coin of eligible) {
      chosen.push(coin);
      total += coin.value;
      const feeWithChange = estimateFee(chosen, true);
      const feeNoChange = estimateFee(chosen, false);
      const spare = total - amount - extraValue - (sffo ? 0n : feeWithChange);
      if (spare >= minViableChange) {
        plan = { received: sffo ? amount - feeWithChange : amount, change: spare };
        break;
      }
      if (total >= amount + extraValue + (sffo ? 0n : feeNoChange)) {
        // No change: what is left over goes to the fee.
        plan = { received: sffo ? amount - feeNoChange : amount, change: 0n };
        break;
      }
    }
    if (!plan) throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "Insufficient funds");
    const { received } = plan;
    const fee = total - received - extraValue - plan.change;
    if (sffo && received < dustThreshold(payTo)) {
      throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "The transaction amount is too small to pay the fee");
    }
    if (fee > MAX_WALLET_TX_FEE) {
      throw new BitcoinWalletError("INSUFFICIENT_FUNDS", "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
    }
    const outputs = [{ script: payTo, value: received }, ...extra];
    if (plan.change > 0n) outputs.push({ script: changeScript, value: plan.change });
    const tx = build(chosen, outputs);
    chosen.forEach((coin, i) => {
      const info = this.keyInfo(coin.script)!;
      const key = deriveWalletKey(this.mnemonic, info.branch, info.index);
      const scriptCode = Uint8Array.from([0x76, 0xa9, 0x14, ...coin.script.subarray(2), 0x88, 0xac]);
      const hash = tx.hashForWitnessV0(i, scriptCode, coin.value, Transaction.SIGHASH_ALL);
      tx.setWitness(i, [bjsScript.signature.encode(signEcdsa(hash, key.privateKey), Transaction.SIGHASH_ALL), key.publicKey]);
    });
    try {
      this.chain.acceptToMempool(tx);
    } catch (err) {
      if (err instanceof BitcoinTxRejected) throw new BitcoinWalletError("WALLET_ERROR", `Transaction rejected by mempool: ${err.message}`);
      throw err;
    }
    if (plan.change > 0n) {
      this.state = { ...this.state, changeIndex: changeIndex + 1 };
      this.topUp();
    }
    return { txid: tx.getId(), tx, fee, changeVout: plan.change > 0n ? 1 + extra.length : undefined };
  }

  /** The wallet's state as plain JSON. */
  capture(): BitcoinWalletState {
    return { ...this.state };
  }

  /**
   * Replaces the state with a captured one. All-or-nothing: malformed data throws
   * {@link BitcoinChainError} and changes nothing.
   */
  restore(state: BitcoinWalletState): void {
    const ok = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0 && n <= MAX_ADDRESS_INDEX;
    if (typeof state !== "object" || state === null || state.version !== 1 || !ok(state.receiveIndex) || !ok(state.changeIndex)) {
      throw new BitcoinChainError(
        `not a Bitcoin wallet state (version 1, receiveIndex and changeIndex integers in [0, ${MAX_ADDRESS_INDEX}])`,
      );
    }
    this.state = { version: 1, receiveIndex: state.receiveIndex, changeIndex: state.changeIndex };
    this.topUp();
  }
}
