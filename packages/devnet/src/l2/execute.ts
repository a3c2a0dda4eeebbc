import type { Block } from "@ethereumjs/block";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Account } from "@ethereumjs/util";
import { type RunTxResult, runTx, type VM } from "@ethereumjs/vm";

export interface ExecuteOptions {
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
  const result = await runTx(vm, {
    tx,
    block,
    blockGasUsed,
    skipHardForkValidation: true,
    skipBalance: options.skipBalance,
    skipNonce: options.skipNonce,
    reportAccessList: options.reportAccessList,
  });
  const baseFee = block.header.baseFeePerGas ?? 0n;
  if (baseFee > 0n && result.totalGasSpent > 0n) {
    const coinbase = block.header.coinbase;
    const account = (await vm.stateManager.getAccount(coinbase)) ?? new Account();
    account.balance += result.totalGasSpent * baseFee;
    await vm.stateManager.putAccount(coinbase, account);
  }
  return result;
}
