/**
 * The latest timestamp (unix seconds) any block may carry: 2^53 − 1. Block timestamps must fit in
 * 64 bits, and the clock, its snapshots and state files keep seconds as JS numbers, which are exact
 * only up to 2^53 − 1 (about 285 million years from 1970). Every way to set the time is bounded by
 * this, so the clock and the headers always agree to the second and timestamps keep increasing.
 */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

export interface ClockOptions {
  /** Unix seconds of the genesis block. Fixing it makes runs reproducible. */
  genesisTimestamp?: number;
  /**
   * Whether time follows the wall clock. Defaults to true, or to false when
   * `genesisTimestamp` is given, so that the same requests give the same blocks.
   */
  followWallClock?: boolean;
}

export interface ClockState {
  genesisTimestamp: number;
  offsetSeconds: number;
  followWallClock: boolean;
}

/**
 * The devnet's one clock. Virtual time = genesis + elapsed wall time (when
 * following the wall clock) + offset; a warp only adds to the offset, so
 * everything driven by the clock sees plain "time passed".
 */
export class VirtualClock {
  private genesis: number;
  private offset = 0;
  private readonly follow: boolean;
  private readonly startedAtMs: number;

  constructor(options: ClockOptions = {}, wallNowMs: () => number = Date.now) {
    this.wallNowMs = wallNowMs;
    this.startedAtMs = wallNowMs();
    this.genesis = options.genesisTimestamp ?? Math.floor(this.startedAtMs / 1000);
    this.follow = options.followWallClock ?? options.genesisTimestamp === undefined;
  }

  private readonly wallNowMs: () => number;

  get genesisTimestamp(): number {
    return this.genesis;
  }

  get followsWallClock(): boolean {
    return this.follow;
  }

  /** Current virtual time in unix seconds. */
  now(): number {
    const elapsed = this.follow ? Math.floor((this.wallNowMs() - this.startedAtMs) / 1000) : 0;
    return this.genesis + elapsed + this.offset;
  }

  /** Moves time forward (or back, for a negative amount) by whole seconds. */
  warp(seconds: number): number {
    this.offset += Math.trunc(seconds);
    return this.now();
  }

  /** Sets the offset so that now() returns `timestamp` (used by evm_setNextBlockTimestamp and state loads). */
  setNow(timestamp: number): void {
    this.offset += timestamp - this.now();
  }

  state(): ClockState {
    return { genesisTimestamp: this.genesis, offsetSeconds: this.now() - this.genesis, followWallClock: this.follow };
  }

  /** Restores a saved state: virtual time resumes where it was saved. */
  restore(state: ClockState): void {
    this.genesis = state.genesisTimestamp;
    this.offset = 0;
    this.setNow(state.genesisTimestamp + state.offsetSeconds);
  }
}
