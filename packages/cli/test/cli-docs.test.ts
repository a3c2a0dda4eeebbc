// docs/cli.md shows every command's current `--help` (`npm run docs` rewrites the blocks): a flag added without
// regenerating the docs, or a command without a section, fails here.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { updateHelpBlocks } from "../src/help-docs.js";
import { buildProgram, commandPaths } from "../src/program.js";

const docsFile = fileURLToPath(new URL("../../../../docs/cli.md", import.meta.url));

describe("docs/cli.md", () => {
  it("has a section with the current --help of every command, and no block for a command that is gone", () => {
    const docs = readFileSync(docsFile, "utf8");
    const { text, missing, unknown } = updateHelpBlocks(docs, buildProgram());
    assert.deepEqual(missing, [], "commands without a help block in docs/cli.md");
    assert.deepEqual(unknown, [], "help blocks for commands that do not exist");
    assert.ok(text === docs, "docs/cli.md is stale: run `npm run docs`");
  });

  it("covers the commands the issue names, each with its own help", () => {
    const paths = commandPaths(buildProgram()).map((c) => c.path);
    for (const name of ["devnet", "dev", "test", "status", "finality", "warp", "btc mine", "deposit", "withdrawals", "fraud", "recover"]) {
      assert.ok(paths.includes(name), `bitlayer ${name}`);
    }
  });
});
