import type { Block } from "@ethereumjs/block";
import { Hardfork } from "@ethereumjs/common";
import { Capability, type TypedTransaction } from "@ethereumjs/tx";
import { Account, type Address, bytesToUnprefixedHex, equalsBytes, KECCAK256_NULL, MAX_INTEGER } from "@ethereumjs/util";
import { Bloom, type RunTxResult, type VM } from "@ethereumjs/vm";
// From defaults.ts, not console.ts: console.ts holds dynamic imports (its ABI decoder), and importing it here moved it
// into the engine bundle's largest chunk, which Hardhat's test runner (tsx) then rewrote on every load (bundle.test.ts).
import { CONSOLE_ADDRESS } from "../defaults.js";

const CONSOLE = CONSOLE_ADDRESS.slice(2);

/**
 * EIPs under which a plain transfer does more than move value and pay gas (a state-gas reservoir, block access
 * lists, binary-tree witnesses, new-account charges, Verkle access costs): with any of them active, runTx runs it.
 */
const UNMODELLED_EIPS = [2780, 4762, 6800, 7864, 7928, 8037];

/**
 * A plain value transfer, applied as runTx applies it but without the EVM's call machinery (its journal, warm sets,
 * checkpoints, a message and a call frame for an account without code), which made most of a transfer's execution
 * and a third of its allocations. Plain means: type 0, 1 or 2, no data, no access list, to an account without code that is not
 * a precompile (nor console.log's address), a sender without code, on a chain where none of `UNMODELLED_EIPS` is
 * active, with no listener on the VM's events but the console recorder's.
 *
 * Everything that decides whether runTx would succeed is checked first (gas limits, base fee, nonce, the upfront and
 * maximum costs, the recipient's balance bound), reading only; if any fails, or the transaction is not plain, this
 * returns `undefined` having changed nothing, and the caller runs runTx, which throws its own error. Otherwise the
 * state ends as runTx leaves it (the sender's gas and nonce, the value, the refund, the fee recipient's tip, then
 * EIP-161's removal of the touched accounts left empty; each account written once), and the result is runTx's: the
 * same receipt, bloom, gas and amounts (plain-transfer.test.ts runs both on random transfers and compares errors,
 * results, receipts, accounts and roots).
 * Call inside a checkpoint of `vm.stateManager`.
 */
export async function applyPlainTransfer(
  vm: VM,
  tx: TypedTransaction,
  block: Block,
  blockGasUsed: bigint,
): Promise<RunTxResult | undefined> {
  const common = vm.common;
  const to = tx.to;
  if (to === undefined || tx.data.length > 0 || tx.type > 2 || tx.value < 0n) return undefined;
  if ("accessList" in tx && tx.accessList.length > 0) return undefined;
  if (!common.gteHardfork(Hardfork.SpuriousDragon) || UNMODELLED_EIPS.some((eip) => common.isActivatedEIP(eip))) return undefined;
  const toHex = bytesToUnprefixedHex(to.bytes);
  if (toHex === CONSOLE || vm.evm.precompiles.has(toHex)) return undefined;
  // A tracer follows messages and steps: it must see the call, so runTx makes it.
  const evmEvents = vm.evm.events;
  if (vm.events.listenerCount("beforeTx") > 0 || evmEvents?.listenerCount("afterMessage") || evmEvents?.listenerCount("step"))
    return undefined;

  const state = vm.stateManager;
  const header = block.header;
  const fork1559 = common.isActivatedEIP(1559);
  const baseFee = header.baseFeePerGas ?? 0n;
  const intrinsicGas = tx.getIntrinsicGas();
  if (tx.gasLimit > header.gasLimit || tx.gasLimit < intrinsicGas) return undefined;
  const feeMarket = tx.supports(Capability.EIP1559FeeMarket);
  const maxFee = feeMarket ? (tx as { maxFeePerGas: bigint }).maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
  if (fork1559 && maxFee < baseFee) return undefined;
  const caller = tx.getSenderAddress();
  const sender = (await state.getAccount(caller)) ?? new Account();
  if (!equalsBytes(sender.codeHash, KECCAK256_NULL) || sender.nonce !== tx.nonce) return undefined;
  if (sender.balance < tx.getUpfrontCost(baseFee)) return undefined;
  if (feeMarket && sender.balance < tx.value + tx.gasLimit * maxFee) return undefined;
  const recipient = await state.getAccount(to);
  if (recipient !== undefined && !equalsBytes(recipient.codeHash, KECCAK256_NULL)) return undefined;
  // The value leaves the sender before it reaches the recipient: a transfer to oneself never overflows.
  if (!caller.equals(to) && (recipient?.balance ?? 0n) + tx.value > MAX_INTEGER) return undefined;

  // runTx's prices: the tip is what is left of the fee cap above the base fee, up to the priority fee.
  let gasPrice: bigint;
  let inclusionFeePerGas = 0n;
  if (feeMarket) {
    inclusionFeePerGas = tx.getEffectivePriorityFee(baseFee);
    gasPrice = inclusionFeePerGas + baseFee;
  } else {
    gasPrice = (tx as { gasPrice: bigint }).gasPrice;
    if (fork1559) inclusionFeePerGas = gasPrice - baseFee;
  }
  const gasUsed = intrinsicGas;
  const coinbase = header.coinbase;

  await vm._emit("beforeTx", tx);
  // runTx's changes, made on one working copy per account (the sender may be the recipient or the fee recipient):
  // the gas limit's cost and the nonce, the value across, the unused gas back, the fee recipient's share.
  const touched = new Map<string, { address: Address; account: Account }>();
  touched.set(caller.toString(), { address: caller, account: sender });
  if (!touched.has(to.toString())) touched.set(to.toString(), { address: to, account: recipient ?? new Account() });
  const working = async (address: Address): Promise<Account> => {
    const key = address.toString();
    let entry = touched.get(key);
    if (!entry) {
      entry = { address, account: (await state.getAccount(address)) ?? new Account() };
      touched.set(key, entry);
    }
    return entry.account;
  };
  sender.balance -= tx.gasLimit * gasPrice + tx.value;
  sender.nonce += 1n;
  (await working(to)).balance += tx.value;
  sender.balance += (tx.gasLimit - gasUsed) * gasPrice;
  const amountSpent = gasUsed * gasPrice;
  const minerValue = fork1559 ? gasUsed * inclusionFeePerGas : amountSpent;
  (await working(coinbase)).balance += minerValue;
  // Each written once; EIP-161: a touched account left empty is removed.
  for (const { address, account } of touched.values()) {
    await state.putAccount(address, account);
    if (account.isEmpty()) await state.deleteAccount(address);
  }

  const bloom = new Bloom(undefined, common);
  const results = {
    execResult: { gasRefund: 0n, executionGasUsed: 0n, exceptionError: undefined, returnValue: new Uint8Array(0) },
    totalGasSpent: gasUsed,
    gasRefund: 0n,
    blockGasSpent: gasUsed,
    amountSpent,
    minerValue,
    bloom,
    receipt: { status: 1 as const, cumulativeBlockGasUsed: blockGasUsed + gasUsed, bitvector: bloom.bitvector, logs: [] },
  } as RunTxResult;
  await vm._emit("afterTx", { transaction: tx, ...results });
  return results;
}
