// Rewrites the `--help` blocks of docs/cli.md from the program: `npm run docs`. Fails, naming them, when a command
// has no block (write its section by hand, with an empty `<!-- help: name -->` … `<!-- /help -->` pair) or a block
// names no command.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { updateHelpBlocks } from "../src/help-docs.js";
import { buildProgram } from "../src/program.js";

const target = fileURLToPath(new URL("../../../../docs/cli.md", import.meta.url));
const { text, missing, unknown } = updateHelpBlocks(readFileSync(target, "utf8"), buildProgram());
writeFileSync(target, text);
process.stdout.write(`wrote ${target}\n`);
if (missing.length > 0 || unknown.length > 0) {
  process.stderr.write(
    `docs/cli.md: ${missing.length ? `no help block for ${missing.join(", ")}` : ""}${missing.length && unknown.length ? "; " : ""}${unknown.length ? `blocks for unknown commands ${unknown.join(", ")}` : ""}\n`,
  );
  process.exitCode = 1;
}
