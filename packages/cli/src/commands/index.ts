/**
 * Every command of `bitlayer`, in the order `bitlayer --help` lists them. Each command lives in its own file (or
 * folder) and is a commander `Command` factory.
 *
 * @module
 */

import type { Command } from "commander";
import { devnetCommand } from "./devnet.js";
import { initCommand } from "./init.js";

export const COMMANDS: ReadonlyArray<() => Command> = [initCommand, devnetCommand];
