/**
 * Bitcoin Core's generatetoaddress (src/rpc/mining.cpp, v28): mines blocks on demand through the host,
 * which runs the devnet's settlement step for each block.
 *
 * @module
 */
import { rpcError } from "./errors.js";
import { optional, required } from "./params.js";
import { defineBitcoinMethod } from "./registry.js";
import { addressToScript } from "./script.js";

/** Most blocks one generatetoaddress call mines (a devnet limit, not Core's): longer runs would hold the devnet's lock for seconds. */
export const MAX_GENERATE_BLOCKS = 10_000;

export const generatetoaddress = defineBitcoinMethod({
  name: "generatetoaddress",
  group: "generating",
  summary: `Mine blocks immediately to a specified address (before the RPC call returns). At most ${MAX_GENERATE_BLOCKS} blocks per call (a devnet limit); a negative count mines none, as in Core. \`maxtries\` is accepted and ignored (regtest proof of work is found in one or two tries).`,
  params: [
    required.int("nblocks", "How many blocks are generated."),
    required.string("address", "The address to send the newly generated bitcoin to."),
    optional.int("maxtries", "1000000", "How many iterations to try."),
  ],
  returns: "[blockhash]",
  errors: ["-5 Error: Invalid address", `-8 Invalid parameter: nblocks must be at most ${MAX_GENERATE_BLOCKS} (devnet limit)`],
  async handler({ node }, [nblocks, address]) {
    const script = addressToScript(address);
    if (!script) throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", "Error: Invalid address");
    if (nblocks > MAX_GENERATE_BLOCKS) {
      throw rpcError("RPC_INVALID_PARAMETER", `Invalid parameter: nblocks must be at most ${MAX_GENERATE_BLOCKS} (devnet limit)`);
    }
    if (nblocks <= 0) return [];
    return node.generate(nblocks, script);
  },
});
