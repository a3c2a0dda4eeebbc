import { MethodRegistry, type MethodSpec } from "../registry.js";
import { bitlayerMethods } from "./bitlayer/index.js";
import { blockControlMethods } from "./block-controls.js";
import { debugMethods } from "./debug.js";
import { ethBlockMethods } from "./eth-blocks.js";
import { ethChainMethods } from "./eth-chain.js";
import { ethFilterMethods } from "./eth-filters.js";
import { ethNodeMethods } from "./eth-node.js";
import { ethStateMethods } from "./eth-state.js";
import { ethSubscribeMethods } from "./eth-subscribe.js";
import { ethTransactionMethods } from "./eth-transactions.js";
import { signMethods } from "./sign.js";
import { stateDumpMethods } from "./state-dump.js";
import { testControlMethods } from "./test-controls.js";
import { txpoolMethods } from "./txpool.js";

/** Every JSON-RPC method the devnet serves: the single source for the server, the provider and the docs. */
export const methodRegistry = new MethodRegistry([
  ...ethChainMethods,
  ...ethBlockMethods,
  ...ethStateMethods,
  ...ethNodeMethods,
  ...ethTransactionMethods,
  ...ethFilterMethods,
  ...ethSubscribeMethods,
  ...signMethods,
  ...txpoolMethods,
  ...debugMethods,
  ...testControlMethods,
  ...blockControlMethods,
  ...stateDumpMethods,
  ...bitlayerMethods,
] as readonly MethodSpec[]);
