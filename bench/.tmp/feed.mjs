import { createDevnet } from "../../packages/devnet/dist/src/index.js";

const d = await createDevnet({ genesisTimestamp: 1_800_000_000 });
const rpc = (method, params = []) => d.provider.request({ method, params });
await rpc("bitlayer_warp", [7 * 24 * 3600]);
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  await rpc("evm_mine");
  const b = await rpc("eth_getBlockByNumber", ["latest", false]);
  console.log("block", i, (performance.now() - t).toFixed(0), "ms", b.gasUsed, b.transactions.length);
}
