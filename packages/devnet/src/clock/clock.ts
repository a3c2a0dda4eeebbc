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

/** Virtual time a saved clock must stay below: block timestamps are 64-bit. */
export const CLOCK_LIMIT_SECONDS = 2 ** 64;

/**
 * Why a saved clock cannot be restored, or undefined if it can: whole seconds, a genesis
 * time a devnet could have been created with, and a current time within [0, 2^64 - 1], so
 * that every later reading of the time is a valid block timestamp.
 */
export function clockStateProblem(state: ClockState): string | undefined {
  if (!Number.isSafeInteger(state.genesisTimestamp) || state.genesisTimestamp < 0 || state.genesisTimestamp > 2 ** 40) {
    return `the clock's genesis time ${state.genesisTimestamp} is not a unix time in seconds within [0, 2^40]`;
  }
  const now = state.genesisTimestamp + state.offsetSeconds;
  if (!Number.isInteger(state.offsetSeconds) || !(now >= 0 && now < CLOCK_LIMIT_SECONDS)) {
    return `the clock's offset ${state.offsetSeconds} puts the time outside [0, 2^64 - 1] seconds`;
  }
  return undefined;
}

/**
 * The devnet's one clock. Virtual time = genesis + elapsed wall time (when
 * following the wall clock) + offset; a warp only adds to the offset, so
 * everything driven by the clock sees plain "time passed".
 */
export class VirtualClock {
  private genesis = 0;
  private offset = 0;
  private readonly follow: boolean;
  private startedAtMs = 0;

  constructor(
    private readonly options: ClockOptions = {},
    private readonly wallNowMs: () => number = Date.now,
  ) {
    this.follow = options.followWallClock ?? options.genesisTimestamp === undefined;
    this.reset();
  }

  /**
   * Back to the clock of a fresh devnet (hardhat_reset): a fixed genesis time stays fixed,
   * a wall-clock devnet starts again at now; no offset.
   */
  reset(): void {
    this.startedAtMs = this.wallNowMs();
    this.genesis = this.options.genesisTimestamp ?? Math.floor(this.startedAtMs / 1000);
    this.offset = 0;
  }

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
