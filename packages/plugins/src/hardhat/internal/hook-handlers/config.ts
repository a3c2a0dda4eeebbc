/**
 * Config hooks: the `bitlayer` key of http networks (validated, resolved; an in-process devnet gets a lazy URL), and
 * the `solc` npm package as the compiler of every solc compiler config that gives no `path`.
 *
 * @internal
 * @module
 */

import type { DevnetOptions } from "@bitlayer/devnet";
import type { ConfigHooks, HardhatConfigValidationError, HardhatUserConfigValidationError } from "hardhat/types/hooks";
import type { BitlayerNetworkConfig } from "../../types/index.js";
import { inProcessUrl } from "../in-process.js";
import { IN_PROCESS_URL as PLACEHOLDER_URL } from "../presets.js";
import { findSolcPackage } from "../solc.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
      if (!isObject(network) || network.bitlayer === undefined) continue;
      const path = ["networks", name, "bitlayer"];
      const { bitlayer } = network;
      if (!isObject(bitlayer)) {
        errors.push({ path, message: "Expected an object: { devnet?: boolean, options?: DevnetOptions }" });
        continue;
      }
      for (const key of Object.keys(bitlayer)) {
        if (key !== "devnet" && key !== "options") errors.push({ path: [...path, key], message: `Unknown key "${key}" (devnet, options)` });
      }
      if (bitlayer.devnet !== undefined && typeof bitlayer.devnet !== "boolean") {
        errors.push({ path: [...path, "devnet"], message: "Expected a boolean" });
      }
      if (bitlayer.options !== undefined && !isObject(bitlayer.options)) {
        errors.push({ path: [...path, "options"], message: "Expected an object (the options of createDevnet)" });
      }
      if (network.type !== "http") {
        errors.push({ path, message: 'The bitlayer key goes on a network of type "http"' });
      } else if (bitlayer.devnet === true && network.url !== PLACEHOLDER_URL) {
        errors.push({
          path: ["networks", name, "url"],
          message:
            "A network with bitlayer: { devnet: true } runs its devnet in process: leave out url (or drop devnet: true to use the devnet at url)",
        });
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
      const bitlayer: BitlayerNetworkConfig = {
        devnet: user.bitlayer.devnet === true,
        options: { ...((user.bitlayer.options as DevnetOptions | undefined) ?? {}) },
      };
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
        errors.push({
          path: [...path, "version"],
          message:
            solc === undefined
              ? `@bitlayer/plugins compiles offline with the solc npm package, which is not installed: npm install --save-dev solc@${compiler.version} (or give this compiler a path)`
              : `@bitlayer/plugins compiles offline with the solc npm package, which is solc ${solc.version}, but this compiler asks for ${compiler.version}: ` +
                `set version to "${solc.version}", or npm install --save-dev solc@${compiler.version}, or give this compiler a path`,
        });
      }
    }
    return errors;
  },
});
