// Type-checked by packages/plugins/test/hardhat2.test.ts (tsc -p .): what @bitlayer/plugins/hardhat2 adds to Hardhat
// 2's types, as a TypeScript user of the plugin sees it. Never run.

import "@bitlayer/plugins/hardhat2";
import type { BitlayerHardhat2Helpers } from "@bitlayer/plugins/hardhat2";
import { bitlayerInProcess, bitlayerNetworks } from "@bitlayer/plugins/hardhat2";
import type { HardhatUserConfig } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export const config: HardhatUserConfig = {
  networks: {
    ...bitlayerNetworks,
    bitlayer: bitlayerInProcess({ preset: "fast" }),
    written: { url: "http://127.0.0.1:1/placeholder", bitlayer: { devnet: true, options: { chainId: 31337 } } },
  },
};

export async function useHelpers(hre: HardhatRuntimeEnvironment): Promise<string> {
  const helpers: BitlayerHardhat2Helpers = hre.bitlayer;
  const finality = await helpers.waitForFinality("0x00", "hard", { warp: true });
  const devnet = await hre.bitlayer.getDevnet();
  const height = (await devnet?.bitcoinRequest("getblockcount")) as number | undefined;
  const resolved = hre.config.networks.bitlayer;
  const inProcess = "url" in resolved ? resolved.bitlayer?.devnet : undefined;
  return `${finality.level} ${height} ${inProcess}`;
}

// @ts-expect-error: the key is `devnet`, not `fast`
export const wrong: HardhatUserConfig = { networks: { x: { url: "http://127.0.0.1:1", bitlayer: { fast: true } } } };
