import { Block, createBlockHeader } from "@ethereumjs/block";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Account } from "@ethereumjs/util";
import { type RunTxResult, runTx, type VM } from "@ethereumjs/vm";
import { isSystemAddress } from "../bridge/predeploys.js";
import { DevnetError } from "../errors.js";
import { rememberJumpAnalysis } from "./jump-analysis.js";
import { applyPlainTransfer } from "./plain-transfer.js";
import { DevnetStateManager } from "./state.js";

const MAX_UINT256 = 2n ** 256n - 1n;

export interface ExecuteOptions {
  /** Let a sender with code send (impersonated contracts, calls, replays of mined transactions). */
  allowSenderWithCode?: boolean;
  skipBalance?: boolean;
  skipNonce?: boolean;
  reportAccessList?: boolean;
  /** Apply a plain value transfer without the EVM's call machinery (see `applyPlainTransfer`): mining and replays. */
  plain?: boolean;
}

let plainTransfers = true;

/**
 * Turns `applyPlainTransfer` off and on for the whole process: the tests run the same transactions both ways.
 * @internal
 */
export function setPlainTransfers(enabled: boolean): void {
  plainTransfers = enabled;
}

/**
 * Runs one transaction in a block's context. Bitlayer does not burn the base
 * fee: it goes to the block's fee recipient along with the tip.
 *
 * A balance is a 256-bit word: when the fees would push the fee recipient's balance past
 * 2^256 - 1 (runTx credits the tip unchecked), the transaction is undone and refused.
 */
export async function executeTx(
  vm: VM,
  tx: TypedTransaction,
  block: Block,
  blockGasUsed: bigint,
  options: ExecuteOptions = {},
): Promise<RunTxResult> {
  // System transactions (Bitcoin headers, peg-in mints) pay no fee, as a PoS chain's system transactions do:
  // they run at base fee 0. Their gas counts in the block; the prelude keeps them within half of its limit.
  const system = isSystemAddress(tx.getSenderAddress());
  if (system) block = systemContext(block);
  // Once per process, at the first execution rather than at start (~4 ms: a throw-away EVM).
  await rememberJumpAnalysis(vm.common);
  const run = () =>
    runTx(vm, {
      tx,
      block,
      blockGasUsed,
      skipBlockGasLimitValidation: system,
      skipHardForkValidation: true,
      skipBalance: options.skipBalance,
      skipNonce: options.skipNonce,
      reportAccessList: options.reportAccessList,
    });
  const state = vm.stateManager;
  await state.checkpoint();
  try {
    const plain =
      options.plain && plainTransfers && !system && !options.skipBalance && !options.skipNonce && !options.reportAccessList
        ? await applyPlainTransfer(vm, tx, block, blockGasUsed)
        : undefined;
    const result =
      plain ??
      (options.allowSenderWithCode && state instanceof DevnetStateManager
        ? await state.asCodeFreeSender(tx.getSenderAddress(), run, vm.evm.events)
        : await run());
    const baseFee = block.header.baseFeePerGas ?? 0n;
    const coinbase = block.header.coinbase;
    const account = (await state.getAccount(coinbase)) ?? new Account();
    if (baseFee > 0n && result.totalGasSpent > 0n) account.balance += result.totalGasSpent * baseFee;
    if (account.balance > MAX_UINT256) {
      throw new DevnetError(
        "BALANCE_OVERFLOW",
        `transaction cannot be included: its fee would push the balance of the block's fee recipient ${coinbase} past 2^256 - 1`,
      );
    }
    if (baseFee > 0n && result.totalGasSpent > 0n) await state.putAccount(coinbase, account);
    await state.commit();
    return result;
  } catch (error) {
    await state.revert();
    throw error;
  }
}

const systemContexts = new WeakMap<Block, Block>();

/** The block context system transactions run in: the block's own, at base fee 0. */
function systemContext(block: Block): Block {
  let context = systemContexts.get(block);
  if (!context) {
    const h = block.header;
    // The block's own Common and the options it was built with: a PoS difficulty stays valid.
    const options = { common: block.common, params: {}, skipConsensusFormatValidation: true };
    const header = createBlockHeader(
      {
        number: h.number,
        timestamp: h.timestamp,
        coinbase: h.coinbase,
        gasLimit: h.gasLimit,
        baseFeePerGas: 0n,
        difficulty: h.difficulty,
        mixHash: h.mixHash,
        parentHash: h.parentHash,
        parentBeaconBlockRoot: h.parentBeaconBlockRoot,
      },
      options,
    );
    context = new Block(header, [], [], [], options);
    systemContexts.set(block, context);
  }
  return context;
}
