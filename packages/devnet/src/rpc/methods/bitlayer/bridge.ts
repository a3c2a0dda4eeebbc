import { defineMethod, required } from "../../registry.js";
import { Bool } from "../../schemas.js";

export const bitlayerBridgeInfo = defineMethod({
  name: "bitlayer_bridgeInfo",
  group: "bitlayer",
  summary:
    "The bridge's addresses and settings: the light client and bridge contracts on the L2, the system account, the bridge's Taproot address on Bitcoin (peg-ins pay it), the broker's, the mode (standard or broker), the confirmations a peg-in needs, the force-inclusion window (s), the withdrawal fee and minimum (sats), and the light client's height.",
  params: [],
  returns:
    "{ lightClient, bridge, systemAccount, bitcoinAddress, brokerAddress, mode, depositConfirmations, forceInclusionWindow, withdrawalFeeSats, minWithdrawalSats, weiPerSat, lightClientHeight, censoring }",
  handler: (ctx) =>
    ctx.core.chain.exclusive(async () => (await import("../../../bridge/views.js")).bridgeInfo(await ctx.core.settlement.load())),
});

export const bitlayerBridgeAccounting = defineMethod({
  name: "bitlayer_bridgeAccounting",
  group: "bitlayer",
  summary:
    "The bridge's books, checked from independent sources. Bitcoin: `lockedSats` (confirmed coins at the bridge's address) = genesisReserveSats + mintedSats + awaitingMintSats + unmintableSats − paidOutSats (`holds`). L2: the bridge contract's totals match the records and its balance = genesis reserve − minted + burned (`holds`). `outstandingSats`: burned in valid batches and not paid yet.",
  params: [],
  returns:
    "{ bitcoin: { lockedSats, genesisReserveSats, mintedSats, awaitingMintSats, unmintableSats, paidOutSats, spendableSats, holds }, l2: { mintedSats, burnedSats, reserveWei, holds }, outstandingSats }",
  handler: (ctx) =>
    ctx.core.chain.exclusive(async () => (await import("../../../bridge/views.js")).bridgeAccounting(await ctx.core.settlement.load())),
});

export const bitlayerSetCensorship = defineMethod({
  name: "bitlayer_setCensorship",
  group: "bitlayer",
  summary:
    "Makes the sequencer censor (true) or include (false) forced transactions posted on Bitcoin. A forced transaction left out past the force-inclusion window halts the L2 and is honoured from the last hard-final state.",
  params: [required("enabled", Bool)],
  returns: "true",
  handler: (ctx, [enabled]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      engine.bridge.data.censoring = enabled;
      return true;
    }),
});
