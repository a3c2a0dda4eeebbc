import { type Deposit, deposit, type Hex } from "@bitlayer/plugins";
import { Command, InvalidArgumentError } from "commander";
import { parseBtc } from "../../units.js";
import { blockNo, btcFromSats, fields, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

/** An L2 address (0x + 40 hex digits). */
export function l2Address(value: string): Hex {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new InvalidArgumentError(`expected an L2 address (0x + 40 hex digits), got "${value}"`);
  return value as Hex;
}

/** An amount of BTC ("0.5", "2", up to 8 decimals) in sats, more than zero. */
export function btcToSats(value: string): bigint {
  const sats = parseBtc(value, 8);
  if (sats === undefined) throw new InvalidArgumentError(`expected an amount of BTC such as 0.5 (at most 8 decimals), got "${value}"`);
  if (sats === 0n) throw new InvalidArgumentError(`expected an amount of BTC more than 0, got "${value}"`);
  if (sats > 2_100_000_000_000_000n) throw new InvalidArgumentError(`expected at most 21000000 BTC, got "${value}"`);
  return sats;
}

/** `bitlayer deposit <l2-address> <amount>`. */
export function depositCommand(): Command {
  return clientCommand(
    new Command("deposit")
      .summary("Peg BTC in to an L2 address")
      .description(
        "Peg BTC in: the devnet's Bitcoin wallet pays the bridge for an L2 address, the blocks it needs are mined, and the L2 mints it",
      )
      .argument("<l2-address>", "the L2 address credited", l2Address)
      .argument("<amount>", "amount in BTC, e.g. 0.5", btcToSats)
      .action((recipient: Hex, sats: bigint, flags: ClientFlags) =>
        runClient(flags, ({ provider }) => deposit(provider, recipient, sats), depositText),
      ),
    "bitlayer deposit 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 0.5",
  );
}

function depositText(d: Deposit): string {
  return fields([
    ["Deposit", `${btcFromSats(d.amountSats)} to ${d.recipient ?? "-"}: ${d.status}`],
    ["Bitcoin tx", `${d.txid}:${d.vout} at height ${d.height} (${plural(d.confirmations, "confirmation")})`],
    [
      "Minted",
      d.mint ? `L2 block ${blockNo(d.mint.blockNumber)}, tx ${d.mint.transactionHash}` : "not yet (the L2 mines it in its next block)",
    ],
    ["Problem", d.problem ?? undefined],
  ]);
}
