import { bitlayerGetBatch, bitlayerListBatches } from "./batches.js";
import { bitlayerInjectFraud, bitlayerRecover, bitlayerSetWatcher } from "./disputes.js";
import { bitlayerGetFinality } from "./finality.js";
import { bitlayerMineBitcoin } from "./mine-bitcoin.js";
import { bitlayerStatus } from "./status.js";
import { bitlayerWarp } from "./warp.js";

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
];
