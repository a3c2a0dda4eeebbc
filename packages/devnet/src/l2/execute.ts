import type { Block } from "@ethereumjs/block";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Account } from "@ethereumjs/util";
import { type RunTxResult, runTx, type VM } from "@ethereumjs/vm";
import { DevnetStateManager } from "./state.js";

export interface ExecuteOptions {
  /** Let a sender with code send (impersonated contracts, calls, replays of mined transactions). */
  allowSenderWithCode?: boolean;
  skipBalance?: boolean;
  skipNonce?: boolean;
  reportAccessList?: boolean;
}

/**
 * Runs one transaction in a block's context. Bitlayer does not burn the base
 * fee: it goes to the block's fee recipient along with the tip.
 */
export async function executeTx(
  vm: VM,
  tx: TypedTransaction,
  block: Block,
  blockGasUsed: bigint,
  options: ExecuteOptions = {},
): Promise<RunTxResult> {
  const run = () =>
    runTx(vm, {
      tx,
      block,
      blockGasUsed,
      skipHardForkValidation: true,
      skipBalance: options.skipBalance,
      skipNonce: options.skipNonce,
      reportAccessList: options.reportAccessList,
    });
  const state = vm.stateManager;
  const result =
    options.allowSenderWithCode && state instanceof DevnetStateManager
      ? await state.asCodeFreeSender(tx.getSenderAddress(), run, vm.evm.events)
      : await run();
  const baseFee = block.header.baseFeePerGas ?? 0n;
  if (baseFee > 0n && result.totalGasSpent > 0n) {
    const coinbase = block.header.coinbase;
    const account = (await vm.stateManager.getAccount(coinbase)) ?? new Account();
    account.balance += result.totalGasSpent * baseFee;
    await vm.stateManager.putAccount(coinbase, account);
  }
  return result;
}
