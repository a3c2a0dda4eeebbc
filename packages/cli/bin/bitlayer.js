#!/usr/bin/env node
// Launcher. `npm run build` bundles the CLI into one file (dist/bitlayer.mjs) so that it starts
// fast; Node's compile cache (Node >= 22.1) makes later starts faster still.
import module from "node:module";

module.enableCompileCache?.();
// `bitlayer devnet` needs the engine, which the other commands never load: its loading starts now, alongside the
// CLI's, instead of once the arguments are parsed (the command's action imports this same module; a failure shows there).
if (process.argv[2] === "devnet") import("../dist/devnet-run.mjs").catch(() => undefined);
import("../dist/bitlayer.mjs")
  .then(({ main }) => main(process.argv))
  .catch((error) => {
    process.stderr.write(`bitlayer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
