import type { Block } from "bitcoinjs-lib";
import { type Coin, isUnspendable, outpointKey, prevoutTxid, UtxoSet } from "./coins.js";
import { blockIdOf, txidOf } from "./ids.js";
import { Mempool } from "./mempool.js";

/**
 * What disconnecting a block needs and its block cannot tell (Core's CBlockUndo): the coin each input
 * of its non-coinbase transactions spent, in block order.
 */
export interface BlockUndo {
  spent: (Coin | undefined)[];
}

/** The chain's whole state: swapped in one assignment, so restore is all-or-nothing. */
export interface ChainData {
  blocks: Block[];
  ids: string[];
  heightById: Map<string, number>;
  txIndex: Map<string, { height: number; index: number }>;
  /** Per height; undefined for blocks that were restored from a capture rather than connected here. */
  undo: (BlockUndo | undefined)[];
  utxos: UtxoSet;
  mempool: Mempool;
}

export function emptyChainData(): ChainData {
  return { blocks: [], ids: [], heightById: new Map(), txIndex: new Map(), undo: [], utxos: new UtxoSet(), mempool: new Mempool() };
}

/** Appends a block to the indexes only (its coins are the caller's business). */
export function indexBlock(s: ChainData, block: Block): number {
  const height = s.blocks.length;
  const id = blockIdOf(block);
  s.blocks.push(block);
  s.ids.push(id);
  s.undo.push(undefined);
  s.heightById.set(id, height);
  const txs = block.transactions!;
  for (let index = 0; index < txs.length; index++) s.txIndex.set(txidOf(txs[index]), { height, index });
  return height;
}

/**
 * Appends a block, moves its coins and drops its transactions from the mempool, keeping the coins it
 * spent as undo data. The genesis coinbase stays unspendable, as in Core.
 */
export function connectBlock(s: ChainData, block: Block, genesis: boolean): void {
  const height = indexBlock(s, block);
  if (genesis) return;
  const undo: BlockUndo = { spent: [] };
  const txs = block.transactions!;
  for (let index = 0; index < txs.length; index++) {
    const tx = txs[index];
    const txid = txidOf(tx);
    if (index > 0) {
      for (const input of tx.ins) {
        const key = outpointKey(prevoutTxid(input.hash), input.index);
        undo.spent.push(s.utxos.get(key));
        s.utxos.delete(key);
      }
      s.mempool.remove(txid);
    }
    // OP_RETURN outputs never enter the set, as in Core
    tx.outs.forEach((out, vout) => {
      if (!isUnspendable(out.script))
        s.utxos.add(outpointKey(txid, vout), { value: out.value, script: out.script, height, coinbase: index === 0 });
    });
  }
  s.undo[height] = undo;
}

/**
 * Removes the tip block: its coins go, the coins it spent come back, its ids leave the indexes.
 * Touches that block only. The mempool is the caller's business. Needs the block's undo data.
 */
export function disconnectTip(s: ChainData): void {
  const height = s.blocks.length - 1;
  const block = s.blocks[height];
  const spent = s.undo[height]!.spent;
  let next = spent.length;
  const txs = block.transactions!;
  // in reverse, as Core's DisconnectBlock: a coin created and spent within the block comes back with
  // its spender undone, then goes with its creator
  for (let index = txs.length - 1; index >= 0; index--) {
    const tx = txs[index];
    const txid = txidOf(tx);
    tx.outs.forEach((out, vout) => {
      if (!isUnspendable(out.script)) s.utxos.delete(outpointKey(txid, vout));
    });
    s.txIndex.delete(txid);
    if (index === 0) continue;
    for (let i = tx.ins.length - 1; i >= 0; i--) {
      const coin = spent[--next];
      if (coin) s.utxos.add(outpointKey(prevoutTxid(tx.ins[i].hash), tx.ins[i].index), coin);
    }
  }
  s.heightById.delete(s.ids[height]);
  s.blocks.pop();
  s.ids.pop();
  s.undo.pop();
}
