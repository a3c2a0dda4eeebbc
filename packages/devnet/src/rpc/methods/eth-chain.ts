import * as z from "zod";
import { DevnetError } from "../../errors.js";
import { effectiveGasPrice } from "../../l2/miner.js";
import { DEFAULT_PRIORITY_FEE } from "../../l2/transactions.js";
import { quantity } from "../format.js";
import { defineMethod, optional, required } from "../registry.js";
import { BlockTag, paramType, Quantity } from "../schemas.js";

export const ethChainId = defineMethod({
  name: "eth_chainId",
  group: "eth",
  summary: "The devnet's chain id (default 202601).",
  params: [],
  returns: "Quantity",
  handler: (ctx) => quantity(ctx.core.chain.config.chainId),
});

export const ethAccounts = defineMethod({
  name: "eth_accounts",
  group: "eth",
  summary: "The dev accounts, whose keys the devnet holds.",
  params: [],
  returns: "Address[]",
  handler: (ctx) => ctx.core.chain.accounts.map((a) => a.address.toLowerCase()),
});

export const ethSyncing = defineMethod({
  name: "eth_syncing",
  group: "eth",
  summary: "Always false: the devnet is its own source of truth.",
  params: [],
  returns: "false",
  handler: () => false,
});

export const ethGasPrice = defineMethod({
  name: "eth_gasPrice",
  group: "eth",
  summary: "Suggested legacy gas price: the next block's base fee plus the default tip.",
  params: [],
  returns: "Quantity",
  handler: (ctx) => quantity(ctx.core.chain.nextBaseFee() + DEFAULT_PRIORITY_FEE),
});

export const ethMaxPriorityFeePerGas = defineMethod({
  name: "eth_maxPriorityFeePerGas",
  group: "eth",
  summary: "Suggested tip (1 gwei).",
  params: [],
  returns: "Quantity",
  handler: () => quantity(DEFAULT_PRIORITY_FEE),
});

const Percentiles = paramType("number[]", "increasing percentiles between 0 and 100", () =>
  z
    .array(z.number().min(0).max(100))
    .max(100)
    .refine((p) => p.every((v, i) => i === 0 || v >= p[i - 1]), "percentiles must be increasing"),
);

/** Most blocks eth_feeHistory reports at once, as in geth. */
const MAX_FEE_HISTORY = 1024n;

export const ethFeeHistory = defineMethod({
  name: "eth_feeHistory",
  group: "eth",
  summary: "Base fees, gas used ratios and tip percentiles of recent blocks (base fee is paid to the block's validator, not burned).",
  params: [required("blockCount", Quantity), required("newestBlock", BlockTag), optional("rewardPercentiles", Percentiles)],
  returns: "{ oldestBlock, baseFeePerGas, gasUsedRatio, reward? }",
  handler: (ctx, [count, newestTag, percentiles]) => {
    if (count < 1n || count > MAX_FEE_HISTORY) {
      throw new DevnetError("INVALID_PARAMS", `eth_feeHistory: blockCount must be between 1 and ${MAX_FEE_HISTORY}, got ${count}`);
    }
    const store = ctx.core.chain.store;
    const newest = ctx.core.resolveBlock(newestTag).block.number;
    const oldest = newest - count + 1n < 0n ? 0n : newest - count + 1n;
    const blocks = [...store.range(oldest, newest)];
    const baseFees = blocks.map((b) => quantity(b.block.header.baseFeePerGas ?? 0n));
    const last = blocks[blocks.length - 1].block.header;
    baseFees.push(
      quantity(
        newest === store.height
          ? ctx.core.chain.nextBaseFee()
          : (store.byNumber(newest + 1n)?.block.header.baseFeePerGas ?? last.calcNextBaseFee()),
      ),
    );
    const result: Record<string, unknown> = {
      oldestBlock: quantity(oldest),
      baseFeePerGas: baseFees,
      gasUsedRatio: blocks.map((b) => Number(b.block.header.gasUsed) / Number(b.block.header.gasLimit)),
      baseFeePerBlobGas: baseFees.map(() => "0x0"),
      blobGasUsedRatio: blocks.map(() => 0),
    };
    if (percentiles) {
      result.reward = blocks.map((b) => {
        const baseFee = b.block.header.baseFeePerGas ?? 0n;
        const tips = b.transactions
          .map((tx, i) => ({ tip: effectiveGasPrice(tx, baseFee) - baseFee, gas: b.receipts[i].gasUsed }))
          .sort((x, y) => (x.tip < y.tip ? -1 : x.tip > y.tip ? 1 : 0));
        const total = tips.reduce((s, t) => s + t.gas, 0n);
        return percentiles.map((p) => {
          if (tips.length === 0) return "0x0";
          const threshold = (Number(total) * p) / 100;
          let sum = 0;
          for (const t of tips) {
            sum += Number(t.gas);
            if (sum >= threshold) return quantity(t.tip);
          }
          return quantity(tips[tips.length - 1].tip);
        });
      });
    }
    return result;
  },
});

export const netVersion = defineMethod({
  name: "net_version",
  group: "net",
  summary: "The chain id, as a decimal string.",
  params: [],
  returns: "string",
  handler: (ctx) => ctx.core.chain.config.chainId.toString(),
});

export const netListening = defineMethod({
  name: "net_listening",
  group: "net",
  summary: "Always true.",
  params: [],
  returns: "true",
  handler: () => true,
});

export const netPeerCount = defineMethod({
  name: "net_peerCount",
  group: "net",
  summary: "Always 0: the devnet has no peers.",
  params: [],
  returns: "Quantity",
  handler: () => "0x0",
});

export const ethChainMethods = [
  ethChainId,
  ethAccounts,
  ethSyncing,
  ethGasPrice,
  ethMaxPriorityFeePerGas,
  ethFeeHistory,
  netVersion,
  netListening,
  netPeerCount,
];
