// What the bridge's tests do as a user would: typed views of the bitlayer_* bridge answers, L2
// transactions signed with ethers (the bridge's withdraw), regtest addresses made with bitcoinjs-lib,
// and a reader of the Bitcoin chain that finds every mined output paying a script (through the
// devnet's Bitcoin RPC only, parsed with bitcoinjs-lib: nothing of the devnet's bridge code is used).

import assert from "node:assert/strict";
import { Block, initEccLib, networks, payments } from "bitcoinjs-lib";
import { Interface, type Wallet } from "ethers";
import * as ecc from "tiny-secp256k1";
import { BITCOIN_BRIDGE, type Devnet } from "../../src/index.js";

export type {
  BridgeAccounting as AccountingView,
  BridgeInfo,
  DepositView,
  ForcedView,
  WithdrawalView,
} from "../../src/index.js";

initEccLib(ecc);

/** Wei per satoshi. */
export const SATS = 10n ** 10n;
/** What the bridge keeps from every peg-out. */
export const FEE_SATS = 1000n;
/** The devnet's chain id. */
export const CHAIN_ID = 202601n;

export const bridgeInterface = new Interface(BITCOIN_BRIDGE.abi);

/** A censorship halt as bitlayer_status shows it. */
export interface ForcedHaltView {
  forced?: string;
  batch?: number;
  bitcoinHeight: number;
  bitcoinBlock: string;
  reason: string;
}

/** A key-derived regtest address and its output script. */
export interface BtcAddress {
  address: string;
  script: Buffer;
}

/** The P2WPKH address of the secp256k1 key `seed` (32 bytes, a valid scalar). */
export function p2wpkhAddress(seed: Uint8Array): BtcAddress {
  const pubkey = ecc.pointFromScalar(seed, true);
  assert.ok(pubkey, "a valid key");
  const p = payments.p2wpkh({ pubkey, network: networks.regtest });
  return { address: p.address!, script: Buffer.from(p.output!) };
}

/** The key-path P2TR address of the key `seed` (32 bytes, a valid scalar). */
export function p2trAddress(seed: Uint8Array): BtcAddress {
  const pubkey = ecc.pointFromScalar(seed, true);
  assert.ok(pubkey, "a valid key");
  const p = payments.p2tr({ internalPubkey: pubkey.subarray(1), network: networks.regtest });
  return { address: p.address!, script: Buffer.from(p.output!) };
}

/** The calldata of the bridge's `withdraw(btcAddress)`. */
export function withdrawData(btcAddress: string): string {
  return bridgeInterface.encodeFunctionData("withdraw", [btcAddress]);
}

/** A signed (EIP-1559) call of the bridge's withdraw, as a user's wallet makes it. */
export function signWithdraw(
  wallet: Wallet,
  btcAddress: string,
  sats: bigint,
  opts: { nonce?: number; gasLimit?: bigint; maxFeePerGas?: bigint; chainId?: bigint } = {},
): Promise<string> {
  return wallet.signTransaction({
    type: 2,
    chainId: opts.chainId ?? CHAIN_ID,
    nonce: opts.nonce ?? 0,
    to: BITCOIN_BRIDGE.address,
    value: sats * SATS,
    data: withdrawData(btcAddress),
    gasLimit: opts.gasLimit ?? 300_000n,
    maxFeePerGas: opts.maxFeePerGas ?? 10_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  });
}

/** A mined output of the Bitcoin chain. */
export interface MinedOutput {
  height: number;
  txid: string;
  vout: number;
  value: bigint;
}

/**
 * Every output of the mined Bitcoin chain, by output script (hex), read block by block through the
 * devnet's Bitcoin RPC. It remembers what it read and, after a reorganisation (a revert), reads again
 * from the first block whose hash changed.
 */
export class OutputIndex {
  private hashes: string[] = [];
  private outputs: Map<string, MinedOutput[]>[] = [];

  constructor(private readonly devnet: Devnet) {}

  private btc<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.devnet.bitcoinRequest(method, params) as Promise<T>;
  }

  /** Brings the index up to the chain's tip. */
  async sync(): Promise<void> {
    const tip = await this.btc<number>("getblockcount");
    let keep = Math.min(this.hashes.length, tip + 1);
    while (keep > 0 && (await this.btc<string>("getblockhash", [keep - 1])) !== this.hashes[keep - 1]) keep--;
    this.hashes.length = keep;
    this.outputs.length = keep;
    for (let h = keep; h <= tip; h++) {
      const hash = await this.btc<string>("getblockhash", [h]);
      const block = Block.fromHex(await this.btc<string>("getblock", [hash, 0]));
      assert.equal(block.getId(), hash);
      const byScript = new Map<string, MinedOutput[]>();
      for (const tx of block.transactions ?? []) {
        const txid = tx.getId();
        tx.outs.forEach((out, vout) => {
          const key = Buffer.from(out.script).toString("hex");
          const list = byScript.get(key) ?? [];
          list.push({ height: h, txid, vout, value: out.value });
          byScript.set(key, list);
        });
      }
      this.hashes.push(hash);
      this.outputs.push(byScript);
    }
  }

  /** Every mined output paying `script` (call `sync` first). */
  paying(script: Uint8Array): MinedOutput[] {
    const key = Buffer.from(script).toString("hex");
    return this.outputs.flatMap((m) => m.get(key) ?? []);
  }
}
