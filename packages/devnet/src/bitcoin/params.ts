/** Regtest-like consensus and policy parameters of the simulated Bitcoin chain. */

/** Satoshis per bitcoin. */
export const COIN = 100_000_000n;
/** Regtest's proof-of-work limit in compact form: a nonce is found in one or two tries. */
export const REGTEST_BITS = 0x207fffff;
/** Regtest halves the subsidy every 150 blocks. */
export const HALVING_INTERVAL = 150;
/** A coinbase output may be spent once it has this many confirmations (consensus). */
export const COINBASE_MATURITY = 100;
/** Consensus block weight limit (BIP141). */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** Weight kept free for the coinbase when assembling a block, as Bitcoin Core's miner does. */
export const COINBASE_WEIGHT_RESERVE = 4_000;
/** Version bits mined by Bitcoin Core (BIP9 top bits, no signalling). */
export const BLOCK_VERSION = 0x20000000;
/** Minimum relay fee rate, satoshis per 1,000 virtual bytes (Bitcoin Core's default). */
export const MIN_RELAY_FEE_PER_KVB = 1_000n;
/** Dust relay fee rate, satoshis per 1,000 virtual bytes (Bitcoin Core's default). */
export const DUST_RELAY_FEE_PER_KVB = 3_000n;
/** Largest standard transaction version (Bitcoin Core 28+ relays v3/TRUC). */
export const MAX_STANDARD_TX_VERSION = 3;
/** Smallest standard transaction, in bytes without witness. */
export const MIN_STANDARD_TX_NONWITNESS_SIZE = 65;
/** Largest amount: 21 million BTC. */
export const MAX_MONEY = 21_000_000n * COIN;

/** BIP68: input sequence bit disabling the relative lock. */
export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
/** BIP68: input sequence bit selecting a lock in units of 512 seconds instead of blocks. */
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
/** BIP68: the lock value's mask. */
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
/** BIP68: time locks are in units of 2^9 seconds. */
export const SEQUENCE_LOCKTIME_GRANULARITY = 9;
/** nLockTime values below this are heights, above it UNIX times. */
export const LOCKTIME_THRESHOLD = 500_000_000;

/** The regtest genesis block's header fields and its coinbase (the 2009 Times headline). */
export const REGTEST_GENESIS = {
  version: 1,
  timestamp: 1296688602,
  bits: REGTEST_BITS,
  nonce: 2,
  hash: "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
  coinbaseHex:
    "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000",
} as const;

/** The block subsidy at a height: 50 BTC halving every {@link HALVING_INTERVAL} blocks. */
export function blockSubsidy(height: number): bigint {
  const halvings = Math.floor(height / HALVING_INTERVAL);
  return halvings >= 64 ? 0n : (50n * COIN) >> BigInt(halvings);
}
