import { Command, CommanderError } from "commander";
import { devnetCommand } from "./commands/devnet.js";

/** Entry point of the `bitlayer` binary. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("bitlayer")
    .description("Bitlayer Devkit: a local Bitlayer devnet and tools for dApp developers")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.addCommand(devnetCommand());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
