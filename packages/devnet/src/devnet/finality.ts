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

  restore(state: { safe: string; finalized: string }): void {
    this.anchored = BigInt(state.safe);
    this.final = BigInt(state.finalized);
  }
}
