/**
 * Every command of `bitlayer`, in the order `bitlayer --help` lists them. Each command lives in its own file (or
 * folder) and is a commander `Command` factory.
 *
 * @module
 */

import type { Command } from "commander";
import { btcCommand } from "./client/btc.js";
import { depositCommand } from "./client/deposit.js";
import { finalityCommand } from "./client/finality.js";
import { fraudCommand } from "./client/fraud.js";
import { recoverCommand } from "./client/recover.js";
import { statusCommand } from "./client/status.js";
import { warpCommand } from "./client/warp.js";
import { withdrawalsCommand } from "./client/withdrawals.js";
import { devCommand } from "./dev.js";
import { devnetCommand } from "./devnet.js";
import { initCommand } from "./init.js";
import { testCommand } from "./test.js";

export const COMMANDS: ReadonlyArray<() => Command> = [
  initCommand,
  devnetCommand,
  devCommand,
  testCommand,
  statusCommand,
  finalityCommand,
  warpCommand,
  btcCommand,
  depositCommand,
  withdrawalsCommand,
  fraudCommand,
  recoverCommand,
];
