import type { L2Chain } from "../l2/chain.js";

/**
 * Heights of the finality levels behind the block tags: `latest` = soft
 * (PoS-sequenced), `safe` = anchored on Bitcoin, `finalized` = hard final.
 * Until the settlement layer exists nothing is anchored or final, so both
 * levels stay at genesis; the settlement layer will move them.
 */
export class FinalityTracker {
  private anchored = 0n;
  private final = 0n;

  constructor(private readonly chain: L2Chain) {}

  soft(): bigint {
    return this.chain.store.height;
  }

  safe(): bigint {
    return this.anchored < this.chain.store.height ? this.anchored : this.chain.store.height;
  }

  finalized(): bigint {
    return this.final < this.chain.store.height ? this.final : this.chain.store.height;
  }

  state(): { safe: string; finalized: string } {
    return { safe: this.anchored.toString(), finalized: this.final.toString() };
  }

  /**
   * Why saved levels cannot belong to a chain of `height` blocks, or undefined if they can:
   * canonical decimal heights within [0, height], finalized never ahead of safe.
   */
  static problem(state: { safe: string; finalized: string }, height: bigint): string | undefined {
    const canonical = /^(0|[1-9][0-9]{0,19})$/;
    if (!canonical.test(state.safe) || !canonical.test(state.finalized)) return "finality heights must be decimal block numbers";
    const safe = BigInt(state.safe);
    const finalized = BigInt(state.finalized);
    if (safe > height || finalized > height) return `finality heights must not pass the latest block ${height}`;
    if (finalized > safe) return `the finalized height ${finalized} is past the safe height ${safe}`;
    return undefined;
  }

  restore(state: { safe: string; finalized: string }): void {
    this.anchored = BigInt(state.safe);
    this.final = BigInt(state.finalized);
  }
}
