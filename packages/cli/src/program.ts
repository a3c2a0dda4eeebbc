/**
 * The `bitlayer` program: every command of the registry, with the same help layout everywhere (80 columns, so that
 * `--help` reads the same in any terminal and docs/cli.md can show it verbatim).
 *
 * @module
 */

import { Command } from "commander";
import { COMMANDS } from "./commands/index.js";
import { VERSION } from "./version.js";

const HELP_WIDTH = 80;

function configure(command: Command): void {
  command.configureHelp({ helpWidth: HELP_WIDTH });
  for (const sub of command.commands) configure(sub);
}

/** A fresh program (commander keeps parse state on the instance). */
export function buildProgram(): Command {
  const program = new Command()
    .name("bitlayer")
    .description("Bitlayer Devkit: a local Bitlayer devnet (an EVM L2 settling on a simulated Bitcoin chain) and tools for dApp developers")
    .version(VERSION, "-v, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of COMMANDS) program.addCommand(command());
  configure(program);
  return program;
}

/** Every command below `program`, depth first, with its path ("devnet", "btc", "btc mine"). */
export function commandPaths(program: Command): Array<{ path: string; command: Command }> {
  const out: Array<{ path: string; command: Command }> = [];
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const path = prefix ? `${prefix} ${sub.name()}` : sub.name();
      out.push({ path, command: sub });
      walk(sub, path);
    }
  };
  walk(program, "");
  return out;
}
