// Writes docs/rpc-reference.md from the method registry: `npm run docs`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { methodRegistry } from "../src/rpc/methods/index.js";
import { renderRpcReference } from "../src/rpc/reference.js";

const target = fileURLToPath(new URL("../../../../docs/rpc-reference.md", import.meta.url));
writeFileSync(target, renderRpcReference(methodRegistry));
process.stdout.write(`wrote ${target}\n`);
