import { createDevnet } from "../../packages/devnet/dist/src/index.js";

const d = await createDevnet({ genesisTimestamp: 1_800_000_000 });
const rpc = (method, params = []) => d.provider.request({ method, params });
await rpc("bitlayer_warp", [7 * 24 * 3600]);
await rpc("evm_mine");
const t = performance.now();
for (let i = 0; i < 3; i++) await rpc("evm_mine");
console.log((performance.now() - t).toFixed(0));
