import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.js";
import { oneLine } from "./errors.js";
import { VERSION } from "./version.js";

/** Entry point of the `bitlayer` binary. Errors are one line on stderr and exit code 1; `bitlayer` alone prints the help. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("bitlayer")
    .description("Bitlayer Devkit: a local Bitlayer devnet (an EVM L2 settling on a simulated Bitcoin chain) and tools for dApp developers")
    .version(VERSION, "-v, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of COMMANDS) program.addCommand(command());
  if (argv.length <= 2) {
    process.stdout.write(program.helpInformation());
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`error: ${oneLine(error)}\n`);
    process.exitCode = 1;
  }
}
