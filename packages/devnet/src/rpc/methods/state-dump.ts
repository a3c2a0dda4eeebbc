import { bytesToHex } from "../../hex.js";
import { parseGzippedState } from "../../state/limits.js";
import { defineMethod, required } from "../registry.js";
import { Data, MAX_DATA_BYTES } from "../schemas.js";

/** The state code (and its file schema) loads with the first dump or load, not with every devnet. */
const stateCode = () => import("../../state/dump.js");

export const anvilDumpState = defineMethod({
  name: "anvil_dumpState",
  aliases: ["hardhat_dumpState"],
  group: "test controls",
  summary: `The whole devnet state (blocks, receipts, accounts, clock) as gzipped JSON, hex-encoded, for anvil_loadState. A dump larger than anvil_loadState accepts (${MAX_DATA_BYTES} bytes gzipped, MAX_DATA_BYTES) is refused with -32005 (LIMIT_EXCEEDED): save such a state with \`bitlayer devnet --state\`.`,
  params: [],
  returns: "Data",
  handler: (ctx) =>
    ctx.core.chain.exclusive(async () => {
      const { dumpStateGzipped } = await stateCode();
      return bytesToHex(await dumpStateGzipped(ctx.core, MAX_DATA_BYTES, "MAX_DATA_BYTES, the most anvil_loadState accepts"));
    }),
});

export const anvilLoadState = defineMethod({
  name: "anvil_loadState",
  aliases: ["hardhat_loadState"],
  group: "test controls",
  summary:
    "Replaces the devnet state with a dump from anvil_dumpState, checked whole first (bounded size and counts; senders, hashes and receipts derived): a corrupt, oversized or incompatible dump is refused and nothing changes. Snapshots are discarded.",
  params: [required("state", Data, "output of anvil_dumpState")],
  returns: "true",
  handler: (ctx, [data]) =>
    ctx.core.chain.exclusive(async () => {
      const { loadState } = await stateCode();
      await loadState(ctx.core, await parseGzippedState(data, "anvil_loadState: the dump"));
      return true;
    }),
});

export const stateDumpMethods = [anvilDumpState, anvilLoadState];
