import { CommanderError } from "commander";
import { oneLine } from "./errors.js";
import { buildProgram } from "./program.js";

/** Entry point of the `bitlayer` binary. Errors are one line on stderr and exit code 1; `bitlayer` alone prints the help. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
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
