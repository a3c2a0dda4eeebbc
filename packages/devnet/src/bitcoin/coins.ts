/** An unspent output of the simulated Bitcoin chain. */
export interface Coin {
  value: bigint;
  script: Uint8Array;
  /** Height of the block that created it. */
  height: number;
  coinbase: boolean;
}

/** The output an input spends: what its signature commits to. */
export interface Prevout {
  script: Uint8Array;
  value: bigint;
}

/** The map key of an outpoint: `txid:vout` (txid in display order). */
export function outpointKey(txid: string, vout: number): string {
  return `${txid}:${vout}`;
}

/** Display-order txid of an input's prevout hash (which is stored little-endian). */
export function prevoutTxid(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString("hex");
}

/** True for outputs that can never be spent (OP_RETURN), which Bitcoin Core keeps out of its UTXO set. */
export function isUnspendable(script: Uint8Array): boolean {
  return script.length > 0 && script[0] === 0x6a;
}

/** The confirmed UTXO set, keyed by {@link outpointKey}. */
export class UtxoSet {
  private readonly coins = new Map<string, Coin>();

  get size(): number {
    return this.coins.size;
  }

  get(key: string): Coin | undefined {
    return this.coins.get(key);
  }

  add(key: string, coin: Coin): void {
    this.coins.set(key, coin);
  }

  delete(key: string): void {
    this.coins.delete(key);
  }

  /** Entries in a stable order (by key), for snapshots and listings. */
  entries(): [string, Coin][] {
    return [...this.coins.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Byte-wise equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
