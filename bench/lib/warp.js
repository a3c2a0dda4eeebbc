// The settlement workload: a 7-day warp with `batches` batches pending (each a transfer and a Bitcoin block that
// seals it), timed around bitlayer_warp alone, then checked: every L2 block is finalized.
export const GENESIS = 1_700_000_000;

export async function warpWithBatches(createDevnet, batches) {
  const devnet = await createDevnet({ genesisTimestamp: GENESIS });
  try {
    const r = (method, params = []) => devnet.request({ method, params });
    const [a, b] = await r("eth_accounts");
    for (let i = 0; i < batches; i++) {
      await r("eth_sendTransaction", [{ from: a, to: b, value: "0x1" }]);
      await r("bitlayer_mineBitcoin", [1]);
    }
    const start = performance.now();
    await r("bitlayer_warp", [7 * 24 * 3600]);
    const ms = performance.now() - start;
    const status = await r("bitlayer_status");
    if (status.l2.finalized !== status.l2.latest) throw new Error(`the warp did not finalize every batch: ${JSON.stringify(status.l2)}`);
    return ms;
  } finally {
    await devnet.close();
  }
}
