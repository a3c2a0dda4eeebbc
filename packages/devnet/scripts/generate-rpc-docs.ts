// Writes the two RPC references from their method registries: `npm run docs`.
// - docs/rpc-reference.md: the L2's JSON-RPC (eth_*, evm_*, hardhat_*, anvil_*, bitlayer_*, ...);
// - docs/bitcoin-rpc-reference.md: the simulated Bitcoin node's Bitcoin Core-compatible JSON-RPC.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bitcoinMethodRegistry, renderBitcoinRpcReference } from "../src/bitcoin/rpc/index.js";
import { methodRegistry } from "../src/rpc/methods/index.js";
import { renderRpcReference } from "../src/rpc/reference.js";

const docs = (name: string) => fileURLToPath(new URL(`../../../../docs/${name}`, import.meta.url));

for (const [target, text] of [
  [docs("rpc-reference.md"), renderRpcReference(methodRegistry)],
  [docs("bitcoin-rpc-reference.md"), renderBitcoinRpcReference(bitcoinMethodRegistry)],
] as const) {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
