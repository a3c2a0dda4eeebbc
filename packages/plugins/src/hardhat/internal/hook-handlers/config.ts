/**
 * Config hooks: the `bitlayer` key of http networks (validated, resolved; an in-process devnet gets a lazy URL), and
 * the `solc` npm package as the compiler of every solc compiler config that gives no `path`.
 *
 * @internal
 * @module
 */

import type { ConfigHooks, HardhatConfigValidationError, HardhatUserConfigValidationError } from "hardhat/types/hooks";
import { bitlayerKeyProblems, isObject, resolveBitlayerKey } from "../../../common/bitlayer-key.js";
import { IN_PROCESS_URL as PLACEHOLDER_URL } from "../../../common/networks.js";
import { findSolcPackage, solcMismatchMessage } from "../../../common/solc.js";
import { inProcessUrl } from "../in-process.js";

function wantsInProcessDevnet(network: unknown): boolean {
  return isObject(network) && isObject(network.bitlayer) && network.bitlayer.devnet === true;
}

export default async (): Promise<Partial<ConfigHooks>> => ({
  async extendUserConfig(config, next) {
    // No solidity config at all: the solc package's version rather than Hardhat's default (0.8.0), which would need a download.
    if (config.solidity === undefined) {
      const solc = findSolcPackage(process.cwd());
      if (solc !== undefined) config = { ...config, solidity: solc.version };
    }
    const networks = config.networks;
    if (networks === undefined) return next(config);
    const filled: typeof networks = {};
    for (const [name, network] of Object.entries(networks)) {
      filled[name] =
        wantsInProcessDevnet(network) && network.type === "http" && network.url === undefined
          ? { ...network, url: PLACEHOLDER_URL }
          : network;
    }
    return next({ ...config, networks: filled });
  },

  async validateUserConfig(config) {
    const errors: HardhatUserConfigValidationError[] = [];
    for (const [name, network] of Object.entries(config.networks ?? {})) {
      if (!isObject(network)) continue;
      for (const { key, message } of bitlayerKeyProblems(network, network.type === "http")) {
        const path = key === "url" ? ["networks", name, "url"] : ["networks", name, "bitlayer", ...(key ? [key] : [])];
        errors.push({ path, message });
      }
    }
    return errors;
  },

  async resolveUserConfig(userConfig, resolveConfigurationVariable, next) {
    const resolved = await next(userConfig, resolveConfigurationVariable);

    const networks: typeof resolved.networks = {};
    for (const [name, network] of Object.entries(resolved.networks)) {
      const user = userConfig.networks?.[name];
      if (network.type !== "http" || !isObject(user) || !isObject(user.bitlayer)) {
        networks[name] = network;
        continue;
      }
      const bitlayer = resolveBitlayerKey(user.bitlayer);
      networks[name] = { ...network, bitlayer, ...(bitlayer.devnet ? { url: inProcessUrl(name, bitlayer.options) } : {}) };
    }

    const solc = findSolcPackage(resolved.paths.root);
    const profiles = { ...resolved.solidity.profiles };
    if (solc !== undefined) {
      for (const [name, profile] of Object.entries(profiles)) {
        const withSolc = <C extends { type?: string; version: string; path?: string }>(compiler: C): C =>
          (compiler.type === undefined || compiler.type === "solc") && compiler.path === undefined && compiler.version === solc.version
            ? { ...compiler, path: solc.soljson }
            : compiler;
        profiles[name] = {
          ...profile,
          compilers: profile.compilers.map(withSolc),
          overrides: Object.fromEntries(Object.entries(profile.overrides).map(([file, compiler]) => [file, withSolc(compiler)])),
        };
      }
    }

    return { ...resolved, networks, solidity: { ...resolved.solidity, profiles } };
  },

  async validateResolvedConfig(config) {
    const errors: HardhatConfigValidationError[] = [];
    const solc = findSolcPackage(config.paths.root);
    for (const [name, profile] of Object.entries(config.solidity.profiles)) {
      const compilers: Array<[Array<string | number>, (typeof profile.compilers)[number]]> = [
        ...profile.compilers.map((c, i): [Array<string | number>, typeof c] => [["solidity", "profiles", name, "compilers", i], c]),
        ...Object.entries(profile.overrides).map(([file, c]): [Array<string | number>, typeof c] => [
          ["solidity", "profiles", name, "overrides", file],
          c,
        ]),
      ];
      for (const [path, compiler] of compilers) {
        if ((compiler.type !== undefined && compiler.type !== "solc") || compiler.path !== undefined) continue;
        errors.push({ path: [...path, "version"], message: solcMismatchMessage(solc, compiler.version) });
      }
    }
    return errors;
  },
});
