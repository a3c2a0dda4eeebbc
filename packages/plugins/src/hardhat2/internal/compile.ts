/**
 * Compilation with the `solc` npm package in Hardhat 2: every compiler of the config must be its version (checked when
 * the config loads), and the solc build Hardhat asks for is its soljson.js, so that nothing is downloaded.
 *
 * @internal
 * @module
 */

import { findSolcPackage, solcLongVersion, solcMismatchMessage } from "../../common/solc.js";
import { type Hardhat2Api, type Hardhat2Config, type Hardhat2UserConfig, PLUGIN_NAME } from "./hardhat2.js";

/** No `solidity` in the user's config: the solc package's version rather than Hardhat 2's default, which needs a download. */
export function checkCompilers(api: Hardhat2Api, config: Hardhat2Config, userConfig: Readonly<Hardhat2UserConfig>): void {
  const solc = findSolcPackage(config.paths.root);
  if (userConfig.solidity === undefined && solc !== undefined) {
    config.solidity.compilers = config.solidity.compilers.map((compiler) => ({ ...compiler, version: solc.version }));
  }
  const compilers = [...config.solidity.compilers, ...Object.values(config.solidity.overrides)];
  const wrong = compilers.find((compiler) => compiler.version !== solc?.version);
  if (wrong) throw new api.HardhatPluginError(PLUGIN_NAME, solcMismatchMessage(solc, wrong.version, "hardhat2"));
}

/** Hardhat 2's "get the solc build" subtask, answered with the solc package: no download, no compiler list. */
export function useSolcPackage(api: Hardhat2Api): void {
  api.subtask(api.TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async ({ solcVersion }, hre) => {
    const solc = findSolcPackage(hre.config.paths.root);
    if (solc === undefined || solc.version !== solcVersion) {
      throw new api.HardhatPluginError(PLUGIN_NAME, solcMismatchMessage(solc, solcVersion, "hardhat2"));
    }
    return { compilerPath: solc.soljson, isSolcJs: true, version: solc.version, longVersion: solcLongVersion(solc) };
  });
}
