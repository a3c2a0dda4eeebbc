import { Block, Transaction } from "bitcoinjs-lib";
import { type Coin, outpointKey, type UtxoSet } from "./coins.js";
import { BitcoinChainError } from "./errors.js";
import type { Mempool } from "./mempool.js";

/** One unspent output in a captured state. */
export interface CapturedCoin {
  txid: string;
  vout: number;
  /** Satoshis, decimal. */
  value: string;
  /** Output script, hex. */
  script: string;
  height: number;
  coinbase: boolean;
}

/** The simulated Bitcoin chain's whole state as plain JSON data (see `BitcoinChain.capture`). */
export interface BitcoinChainState {
  version: 1;
  /** Every block from genesis, raw hex. */
  blocks: string[];
  /** The confirmed UTXO set, ordered by outpoint. */
  utxos: CapturedCoin[];
  /** Mempool transactions in arrival order, raw hex. */
  mempool: string[];
}

export function stateOf(blocks: Block[], utxos: UtxoSet, mempool: Mempool): BitcoinChainState {
  return {
    version: 1,
    blocks: blocks.map((b) => b.toHex()),
    utxos: utxos.entries().map(([key, coin]) => {
      const [txid, vout] = key.split(":");
      return {
        txid,
        vout: Number(vout),
        value: coin.value.toString(),
        script: Buffer.from(coin.script).toString("hex"),
        height: coin.height,
        coinbase: coin.coinbase,
      };
    }),
    mempool: mempool.list().map((e) => e.tx.toHex()),
  };
}

const HEX = /^([0-9a-f]{2})*$/i;
const TXID = /^[0-9a-f]{64}$/;

function hexBytes(value: unknown, what: string): Buffer {
  if (typeof value !== "string" || !HEX.test(value)) throw new BitcoinChainError(`${what} is not hex`);
  return Buffer.from(value, "hex");
}

/** Parses and checks a captured state without touching any chain. */
export function parseState(state: BitcoinChainState): { blocks: Block[]; utxos: [string, Coin][]; mempool: Transaction[] } {
  if (typeof state !== "object" || state === null || state.version !== 1)
    throw new BitcoinChainError("not a Bitcoin chain state (version 1)");
  if (!Array.isArray(state.blocks) || state.blocks.length === 0 || !Array.isArray(state.utxos) || !Array.isArray(state.mempool)) {
    throw new BitcoinChainError("Bitcoin chain state needs blocks, utxos and mempool arrays");
  }
  const parse = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw err instanceof BitcoinChainError ? err : new BitcoinChainError(`${what}: ${(err as Error).message}`);
    }
  };
  const blocks = state.blocks.map((hex, i) => parse(`block ${i}`, () => Block.fromBuffer(hexBytes(hex, `block ${i}`))));
  const utxos = state.utxos.map((c, i): [string, Coin] =>
    parse(`utxo ${i}`, () => {
      if (typeof c.txid !== "string" || !TXID.test(c.txid) || !Number.isSafeInteger(c.vout) || c.vout < 0) throw new Error("bad outpoint");
      if (typeof c.value !== "string" || !/^\d+$/.test(c.value) || !Number.isSafeInteger(c.height) || typeof c.coinbase !== "boolean") {
        throw new Error("bad coin");
      }
      return [
        outpointKey(c.txid, c.vout),
        { value: BigInt(c.value), script: new Uint8Array(hexBytes(c.script, "script")), height: c.height, coinbase: c.coinbase },
      ];
    }),
  );
  const mempool = state.mempool.map((hex, i) => parse(`mempool tx ${i}`, () => Transaction.fromBuffer(hexBytes(hex, `mempool tx ${i}`))));
  return { blocks, utxos, mempool };
}
