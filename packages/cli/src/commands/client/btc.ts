import { getStatus, mineBitcoin } from "@bitlayer/plugins";
import { Command } from "commander";
import { integer } from "../../options.js";
import { fields, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

interface MineFlags extends ClientFlags {
  address?: string;
}

/** `bitlayer btc`: the simulated Bitcoin chain. */
export function btcCommand(): Command {
  return new Command("btc")
    .description("The devnet's simulated Bitcoin chain")
    .summary("The simulated Bitcoin chain: `bitlayer btc mine <n>`")
    .addCommand(
      clientCommand(
        new Command("mine")
          .summary("Mine Bitcoin blocks now")
          .description(
            "Mine Bitcoin blocks now, without moving the clock (as regtest's generatetoaddress); claims confirm and windows close on the way",
          )
          .argument("[count]", "how many blocks, 1 to 10000", integer(1, 10_000), 1)
          .option("--address <address>", "regtest address (bcrt1...) for the block rewards (default: the devnet's wallet)")
          .action((count: number, flags: MineFlags) =>
            runClient(
              flags,
              async ({ provider }) => {
                const hashes = await mineBitcoin(provider, count, flags.address);
                return { blocks: hashes, height: (await getStatus(provider)).bitcoin.height };
              },
              ({ blocks, height }) =>
                fields([
                  ["Mined", `${plural(blocks.length, "Bitcoin block")}, height ${height}`],
                  ["Tip", blocks[blocks.length - 1]],
                ]),
            ),
          ),
        "bitlayer btc mine 6",
      ),
    );
}
