#!/usr/bin/env node
// Launcher. `npm run build` bundles the CLI into one file (dist/bitlayer.mjs) so that it starts
// fast; Node's compile cache (Node >= 22.1) makes later starts faster still.
import module from "node:module";

module.enableCompileCache?.();
import("../dist/bitlayer.mjs")
  .then(({ main }) => main(process.argv))
  .catch((error) => {
    process.stderr.write(`bitlayer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
