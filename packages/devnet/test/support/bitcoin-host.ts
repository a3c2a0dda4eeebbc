import { BitcoinChain } from "../../src/bitcoin/index.js";
import type { BitcoinNode, BitcoinRpcHost } from "../../src/bitcoin/rpc/index.js";
import { BitcoinWallet } from "../../src/bitcoin/wallet.js";

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * A small real host: a chain and a wallet behind a promise-chain lock; `generate` mines one block at a
 * time with timestamps 10 minutes apart.
 */
export function bitcoinHost(options: { walletName?: string } = {}): BitcoinRpcHost & { node: BitcoinNode; calls: number } {
  const chain = new BitcoinChain();
  const wallet = new BitcoinWallet(chain, { mnemonic: TEST_MNEMONIC, name: options.walletName ?? "" });
  let time = 1_700_000_000;
  const node: BitcoinNode = {
    chain,
    wallet,
    async generate(count, payoutScript) {
      const hashes: string[] = [];
      for (let i = 0; i < count; i++) {
        time += 600;
        hashes.push(chain.mine({ timestamp: time, payoutScript })[0].getId());
      }
      return hashes;
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  const host = {
    node,
    calls: 0,
    withBitcoin<T>(fn: (n: BitcoinNode) => T | Promise<T>): Promise<T> {
      host.calls++;
      const run = queue.then(() => fn(node));
      queue = run.catch(() => undefined);
      return run;
    },
  };
  return host;
}
