/**
 * Solidity hooks: the solc package's compiler, without loading it until something compiles. Hardhat asks every
 * compiler for its long version before it looks at its build cache; the answer comes from the cache folder once known
 * (`solc-version-cache.ts`), so a run with nothing to compile does not load soljson.js (~0.8 s).
 *
 * @internal
 * @module
 */

import type { SolidityHooks } from "hardhat/types/hooks";
import type { Compiler } from "hardhat/types/solidity";
import { findSolcPackage } from "../../../common/solc.js";
import { readSolcLongVersion, writeSolcLongVersion } from "../../../common/solc-version-cache.js";

export default async (): Promise<Partial<SolidityHooks>> => ({
  async getCompiler(context, compilerConfig, next) {
    const solc = findSolcPackage(context.config.paths.root);
    // Only the compilers the config hook pointed at the solc package; a user's own `path` is Hardhat's to handle.
    const ours = solc !== undefined && compilerConfig.path === solc.soljson && compilerConfig.version === solc.version;
    if (!ours || (compilerConfig.type !== undefined && compilerConfig.type !== "solc")) return next(context, compilerConfig);
    const cacheDir = context.config.paths.cache;
    const longVersion = readSolcLongVersion(solc, cacheDir);
    if (longVersion === undefined) {
      const compiler = await next(context, compilerConfig);
      writeSolcLongVersion(solc, cacheDir, compiler.longVersion);
      return compiler;
    }
    let loaded: Promise<Compiler> | undefined;
    return {
      version: solc.version,
      longVersion,
      compilerPath: solc.soljson,
      isSolcJs: true,
      async compile(input) {
        loaded ??= next(context, compilerConfig);
        return (await loaded).compile(input);
      },
    };
  },
});
