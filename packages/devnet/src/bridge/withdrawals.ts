/**
 * Peg-outs as the L2 records them: `WithdrawalInitiated` events of the bridge contract, read from
 * blocks' receipts, and the root a batch commits to.
 *
 * @module
 */

import { Interface } from "ethers/abi";
import { keccak256OrJs as keccak256 } from "../l2/crypto.js";
import type { StoredBlock, StoredLog } from "../l2/types.js";
import { BITCOIN_BRIDGE } from "./predeploys.js";

export const bridgeInterface = new Interface(BITCOIN_BRIDGE.abi);

const bridgeAddress = BITCOIN_BRIDGE.address.toLowerCase();
const initiatedTopic = bridgeInterface.getEvent("WithdrawalInitiated")?.topicHash;

/** A burn as its event tells it (amount in sats). */
export interface BurnEvent {
  id: string;
  index: bigint;
  from: string;
  btcAddress: string;
  script: string;
  amount: bigint;
  l2Tx: string;
  l2Block: bigint;
}

/** The burns of a block, in order (from successful transactions only: a reverted one logs nothing). */
export function burnsOf(stored: StoredBlock): BurnEvent[] {
  return burnsIn(stored.receipts, stored.number);
}

/** The burns that receipts' logs record, in order. */
export function burnsIn(receipts: readonly { transactionHash: string; logs: readonly StoredLog[] }[], l2Block: bigint): BurnEvent[] {
  const burns: BurnEvent[] = [];
  for (const receipt of receipts) {
    for (const log of receipt.logs) {
      if (log.address !== bridgeAddress || log.topics[0] !== initiatedTopic) continue;
      const parsed = bridgeInterface.parseLog({ topics: log.topics, data: log.data });
      if (!parsed) continue;
      burns.push({
        id: parsed.args.id as string,
        index: parsed.args.index as bigint,
        from: (parsed.args.from as string).toLowerCase(),
        btcAddress: parsed.args.btcAddress as string,
        script: parsed.args.scriptPubKey as string,
        amount: parsed.args.amountSats as bigint,
        l2Tx: receipt.transactionHash,
        l2Block,
      });
    }
  }
  return burns;
}

function hash(...parts: Uint8Array[]): Uint8Array {
  return keccak256(Buffer.concat(parts));
}

/**
 * The root of a batch's withdrawals: a binary keccak256 Merkle tree (an odd last node is paired with
 * itself) over leaves keccak256(id ‖ amount as 8 bytes big-endian ‖ output script), in the order the
 * L2 made them; all zeros for a batch without withdrawals.
 * @example
 * batchWithdrawalsRoot([{ id, amount: 5000n, script: "0x0014…" }])
 */
export function batchWithdrawalsRoot(withdrawals: readonly { id: string; amount: bigint; script: string }[]): string {
  if (withdrawals.length === 0) return `0x${"00".repeat(32)}`;
  let level = withdrawals.map((w) => {
    const amount = Buffer.alloc(8);
    amount.writeBigUInt64BE(w.amount);
    return hash(Buffer.from(w.id.slice(2), "hex"), amount, Buffer.from(w.script.slice(2), "hex"));
  });
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash(level[i], level[i + 1] ?? level[i]));
    level = next;
  }
  return `0x${Buffer.from(level[0]).toString("hex")}`;
}
