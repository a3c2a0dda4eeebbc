import { createHash } from "node:crypto";
import { DEFAULT_VALIDATOR_ADDRESSES } from "../known-accounts.js";
import { addressOfKey, checksumAddress } from "./crypto.js";

export interface Validator {
  /** Address that appears as the coinbase of the blocks it proposes. */
  address: string;
  /** Stake in BTR (whole tokens). */
  stake: bigint;
}

export interface ValidatorSetState {
  priorities: string[];
}

/** A simulated PoS validator set: deterministic keys, unequal stakes. */
export function defaultValidators(count = 4, known = DEFAULT_VALIDATOR_ADDRESSES): Validator[] {
  const stakes = [4_000_000n, 3_000_000n, 2_000_000n, 1_000_000n];
  return Array.from({ length: count }, (_, i) => ({
    address: known[i] ?? checksumAddress(addressOfKey(createHash("sha256").update(`bitlayer-devnet-validator-${i}`).digest())),
    stake: stakes[i % stakes.length],
  }));
}

/**
 * Stake-weighted proposer rotation (Tendermint's proposer-priority scheme):
 * each round every validator gains its stake in priority, the highest proposes
 * and pays back the total. Over time each proposes in proportion to stake.
 */
export class ValidatorSet {
  readonly validators: readonly Validator[];
  private priorities: bigint[];
  private readonly total: bigint;

  constructor(validators: Validator[]) {
    if (validators.length === 0) throw new Error("a validator set needs at least one validator");
    this.validators = validators;
    this.priorities = validators.map(() => 0n);
    this.total = validators.reduce((sum, v) => sum + v.stake, 0n);
  }

  /** The proposer of the next block, without advancing the rotation. */
  peekProposer(): Validator {
    return this.validators[this.pick(this.priorities.map((p, i) => p + this.validators[i].stake))];
  }

  /** Advances the rotation by one block and returns its proposer. */
  nextProposer(): Validator {
    this.priorities = this.priorities.map((p, i) => p + this.validators[i].stake);
    const index = this.pick(this.priorities);
    this.priorities[index] -= this.total;
    return this.validators[index];
  }

  state(): ValidatorSetState {
    return { priorities: this.priorities.map(String) };
  }

  /**
   * Why a saved rotation cannot be this set's, or undefined if it can: one integer per validator,
   * summing to zero (each round adds the total stake and takes it back), none past twice the
   * total stake (the rotation keeps them within one total of zero).
   */
  problem(state: ValidatorSetState): string | undefined {
    if (state.priorities.length !== this.validators.length) {
      return `saved with ${state.priorities.length} validators, this devnet has ${this.validators.length}`;
    }
    if (!state.priorities.every((p) => /^(0|-?[1-9][0-9]{0,77})$/.test(p))) return "validator priorities must be decimal integers";
    const priorities = state.priorities.map((p) => BigInt(p));
    if (priorities.reduce((sum, p) => sum + p, 0n) !== 0n) return "validator priorities must sum to zero";
    const bound = 2n * this.total;
    if (priorities.some((p) => p > bound || p < -bound)) return `validator priorities must lie within ±${bound}`;
    return undefined;
  }

  restore(state: ValidatorSetState): void {
    const problem = this.problem(state);
    if (problem) throw new Error(problem);
    this.priorities = state.priorities.map((p) => BigInt(p));
  }

  private pick(priorities: bigint[]): number {
    let best = 0;
    for (let i = 1; i < priorities.length; i++) if (priorities[i] > priorities[best]) best = i;
    return best;
  }
}
