import { bitlayerGetBatch, bitlayerListBatches } from "./batches.js";
import { bitlayerBridgeAccounting, bitlayerBridgeInfo, bitlayerSetCensorship } from "./bridge.js";
import { bitlayerDeposit, bitlayerGetDeposit, bitlayerListDeposits } from "./deposits.js";
import { bitlayerInjectFraud, bitlayerRecover, bitlayerSetWatcher } from "./disputes.js";
import { bitlayerGetFinality } from "./finality.js";
import { bitlayerForceWithdrawal, bitlayerGetForcedTransaction } from "./forced.js";
import { bitlayerMineBitcoin } from "./mine-bitcoin.js";
import { bitlayerStatus } from "./status.js";
import { bitlayerWarp } from "./warp.js";
import { bitlayerGetWithdrawal, bitlayerListWithdrawals } from "./withdrawals.js";

/** The settlement layer's methods: what the CLI, the plugins and scripts share. */
export const bitlayerMethods = [
  bitlayerStatus,
  bitlayerGetFinality,
  bitlayerWarp,
  bitlayerGetBatch,
  bitlayerListBatches,
  bitlayerMineBitcoin,
  bitlayerInjectFraud,
  bitlayerSetWatcher,
  bitlayerRecover,
  bitlayerBridgeInfo,
  bitlayerDeposit,
  bitlayerGetDeposit,
  bitlayerListDeposits,
  bitlayerGetWithdrawal,
  bitlayerListWithdrawals,
  bitlayerForceWithdrawal,
  bitlayerGetForcedTransaction,
  bitlayerSetCensorship,
  bitlayerBridgeAccounting,
];
