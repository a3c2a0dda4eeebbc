#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build`.
import("../dist/src/main.js")
  .then(({ main }) => main(process.argv))
  .catch((error) => {
    process.stderr.write(`bitlayer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
