import { DevnetError } from "../../../errors.js";
import { defineMethod, optional } from "../../registry.js";
import { BitcoinAddress, Count } from "./params.js";

/** Most Bitcoin blocks one call mines (generatetoaddress has the same bound). */
export const MAX_MINE_BITCOIN = 10_000;

export const bitlayerMineBitcoin = defineMethod({
  name: "bitlayer_mineBitcoin",
  group: "bitlayer",
  summary: `Mines Bitcoin blocks now, without moving the clock (as regtest's generatetoaddress): each with its settlement step, so claims confirm and windows (counted in blocks) close. \`count\` 1 to ${MAX_MINE_BITCOIN} (default 1); rewards to \`address\` (default: the dev wallet).`,
  params: [optional("count", Count(MAX_MINE_BITCOIN, "how many blocks")), optional("address", BitcoinAddress)],
  returns: "array of block hashes",
  handler: (ctx, [count, address]) =>
    ctx.core.chain.exclusive(async () => {
      let script: Uint8Array | undefined;
      if (address !== undefined) {
        const { addressToScript } = await import("../../../bitcoin/rpc/script.js");
        script = addressToScript(address);
        if (!script) throw new DevnetError("INVALID_PARAMS", `bitlayer_mineBitcoin: ${address} is not a regtest Bitcoin address`);
      }
      return ctx.core.settlement.mine(count ?? 1, script);
    }),
});
