import type { TypedTransaction } from "@ethereumjs/tx";
import { DevnetError } from "../errors.js";
import type { StoredReceipt } from "./types.js";

/** How a transaction left the pool into a block. */
export interface Inclusion {
  receipt: StoredReceipt;
  /** The EVM's exception when the transaction failed: "revert", "invalid opcode", "out of gas"... */
  exception?: string;
}

export interface PoolTx {
  tx: TypedTransaction;
  hash: string;
  /** Lower-case sender, recovered once at ingress. */
  sender: string;
  nonce: bigint;
  /** Arrival order, the tie-breaker between equal tips. */
  seq: number;
  /** Sent through impersonation: may come from an address with code, as in Hardhat. */
  impersonated: boolean;
  /** Its sender waits for it to be mined (automine): it must be mined or refused, never left pending. */
  awaited: boolean;
  /** Its sender can take the answer before the block is sealed (SubmitOptions). */
  answerBeforeSealed: boolean;
  /** Settles when the transaction is mined (or dropped); `undefined` when its sender stops waiting unmined. */
  inclusion: Promise<Inclusion | undefined>;
  resolve(outcome: Inclusion | undefined): void;
  reject(error: Error): void;
}

/** Minimum fee increase for a same-nonce replacement, as in geth. */
const REPLACEMENT_BUMP_PERCENT = 10n;

/** The most a transaction pays per gas: maxFeePerGas, or gasPrice for legacy and EIP-2930 ones. */
export function feeCap(tx: TypedTransaction): bigint {
  return "maxFeePerGas" in tx ? tx.maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
}

function tipCap(tx: TypedTransaction): bigint {
  return "maxPriorityFeePerGas" in tx ? tx.maxPriorityFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
}

/** The effective miner tip at a base fee, the order in which the miner takes transactions. */
export function effectiveTip(tx: TypedTransaction, baseFee: bigint): bigint {
  const cap = feeCap(tx) - baseFee;
  const tip = tipCap(tx);
  return cap < tip ? cap : tip;
}

export function createPoolTx(tx: TypedTransaction, hash: string, sender: string, seq: number, impersonated = false): PoolTx {
  let resolve!: (outcome: Inclusion | undefined) => void;
  let reject!: (e: Error) => void;
  const inclusion = new Promise<Inclusion | undefined>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A dropped transaction nobody awaits must not become an unhandled rejection.
  inclusion.catch(() => {});
  return { tx, hash, sender, nonce: tx.nonce, seq, impersonated, awaited: false, answerBeforeSealed: false, inclusion, resolve, reject };
}

/** Transactions waiting for a block, per sender by nonce. */
export class TxPool {
  private readonly bySender = new Map<string, Map<bigint, PoolTx>>();
  private readonly byHash = new Map<string, PoolTx>();

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): PoolTx | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  /** Adds a transaction; a same-nonce one is replaced only for a 10% higher fee. Returns the replaced one. */
  add(ptx: PoolTx): PoolTx | undefined {
    if (this.byHash.has(ptx.hash)) throw new DevnetError("ALREADY_KNOWN", `transaction ${ptx.hash} is already known`);
    let queue = this.bySender.get(ptx.sender);
    if (!queue) {
      queue = new Map();
      this.bySender.set(ptx.sender, queue);
    }
    const existing = queue.get(ptx.nonce);
    if (existing) {
      const bump = (x: bigint) => x + (x * REPLACEMENT_BUMP_PERCENT) / 100n;
      if (feeCap(ptx.tx) < bump(feeCap(existing.tx)) || tipCap(ptx.tx) < bump(tipCap(existing.tx))) {
        throw new DevnetError(
          "REPLACEMENT_UNDERPRICED",
          `replacement transaction underpriced: nonce ${ptx.nonce} of ${ptx.sender} needs a fee at least 10% higher`,
        );
      }
      this.byHash.delete(existing.hash);
      existing.reject(new DevnetError("INVALID_PARAMS", `transaction ${existing.hash} was replaced by ${ptx.hash}`));
    }
    queue.set(ptx.nonce, ptx);
    this.byHash.set(ptx.hash, ptx);
    return existing;
  }

  remove(hash: string): PoolTx | undefined {
    const ptx = this.byHash.get(hash.toLowerCase());
    if (!ptx) return undefined;
    this.byHash.delete(ptx.hash);
    const queue = this.bySender.get(ptx.sender);
    queue?.delete(ptx.nonce);
    if (queue?.size === 0) this.bySender.delete(ptx.sender);
    return ptx;
  }

  /** Senders with pooled transactions. */
  senders(): IterableIterator<string> {
    return this.bySender.keys();
  }

  /** Highest nonce the sender will have used once its pending transactions are mined. */
  pendingNonce(sender: string, stateNonce: bigint): bigint {
    const queue = this.bySender.get(sender);
    let nonce = stateNonce;
    while (queue?.has(nonce)) nonce++;
    return nonce;
  }

  /** Per sender, the transactions executable in nonce order from the state nonce. */
  executable(stateNonce: (sender: string) => bigint): Map<string, PoolTx[]> {
    const ready = new Map<string, PoolTx[]>();
    for (const [sender, queue] of this.bySender) {
      const list: PoolTx[] = [];
      for (let n = stateNonce(sender); queue.has(n); n++) list.push(queue.get(n) as PoolTx);
      if (list.length > 0) ready.set(sender, list);
    }
    return ready;
  }

  /** Splits the pool the way txpool_* reports it: executable now, or waiting for a nonce gap. */
  partition(stateNonce: (sender: string) => bigint): { pending: PoolTx[]; queued: PoolTx[] } {
    const pending: PoolTx[] = [];
    const queued: PoolTx[] = [];
    for (const [sender, queue] of this.bySender) {
      const firstGap = this.pendingNonce(sender, stateNonce(sender));
      for (const ptx of queue.values()) (ptx.nonce < firstGap ? pending : queued).push(ptx);
    }
    return { pending, queued };
  }

  /** Drops transactions whose nonce the chain has already used. */
  prune(stateNonce: (sender: string) => bigint, reason: (ptx: PoolTx) => Error): void {
    for (const [sender, queue] of this.bySender) {
      const nonce = stateNonce(sender);
      for (const ptx of queue.values()) {
        if (ptx.nonce < nonce) {
          this.remove(ptx.hash);
          ptx.reject(reason(ptx));
        }
      }
    }
  }

  all(): PoolTx[] {
    return [...this.byHash.values()].sort((a, b) => a.seq - b.seq);
  }

  clear(): PoolTx[] {
    const dropped = this.all();
    this.bySender.clear();
    this.byHash.clear();
    return dropped;
  }
}
