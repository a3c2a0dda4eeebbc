/**
 * The bridge as the `bitlayer_*` methods show it: deposits, withdrawals with their life, forced
 * transactions, and the accounting that ties the BTC locked on Bitcoin to the BTC minted on the L2.
 *
 * @module
 */

import { createAddressFromString, hexToBytes, toChecksumAddress } from "@ethereumjs/util";
import { address as baddress, networks } from "bitcoinjs-lib";
import { PREMINE } from "../devnet/settlement.js";
import type { SettlementEngine } from "../rollup/engine.js";
import type { TxRef } from "../rollup/types.js";
import { quantity } from "../rpc/format.js";
import { WITHDRAWAL_FEE_SATS } from "./engine.js";
import { spendableCoins } from "./payments.js";
import { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS, WEI_PER_SAT } from "./predeploys.js";
import type { DepositRecord, ForcedRecord, WithdrawalRecord, WithdrawalStatus } from "./types.js";
import { bridgeInterface, burnsOf } from "./withdrawals.js";

/** Least sats a withdrawal may burn (the fee plus an output worth more than dust), as the contract checks. */
export const MIN_WITHDRAWAL_SATS = 2_000n;

const ref = (r: TxRef | undefined) => (r ? { txid: r.txid, height: r.height ?? null } : null);

function regtestAddress(script: Uint8Array): string {
  return baddress.fromOutputScript(script, networks.regtest);
}

export function bridgeInfo(engine: SettlementEngine) {
  const bridge = engine.bridge;
  return {
    lightClient: BITCOIN_LIGHT_CLIENT.address,
    bridge: BITCOIN_BRIDGE.address,
    systemAccount: SYSTEM_ADDRESS,
    bitcoinAddress: regtestAddress(bridge.payers.bridge.output.script),
    brokerAddress: regtestAddress(bridge.payers.broker.output.script),
    mode: bridge.config.mode,
    depositConfirmations: bridge.config.depositConfirmations,
    forceInclusionWindow: bridge.config.forceInclusionSeconds,
    withdrawalFeeSats: Number(WITHDRAWAL_FEE_SATS),
    minWithdrawalSats: Number(MIN_WITHDRAWAL_SATS),
    weiPerSat: quantity(WEI_PER_SAT),
    lightClientHeight: bridge.data.lightClientHeight,
    censoring: bridge.data.censoring,
  };
}

export function depositView(engine: SettlementEngine, d: DepositRecord) {
  const confirmations = engine.bitcoin.height - d.height + 1;
  const status = d.problem
    ? "rejected"
    : d.mint
      ? "minted"
      : confirmations >= engine.bridge.config.depositConfirmations
        ? "confirmed"
        : "pending";
  return {
    txid: d.txid,
    vout: d.vout,
    amountSats: Number(d.amount),
    amountWei: quantity(BigInt(d.amount) * WEI_PER_SAT),
    recipient: d.recipient ? toChecksumAddress(d.recipient) : null,
    status,
    height: d.height,
    confirmations,
    mint: d.mint && !d.mint.failed ? { blockNumber: quantity(BigInt(d.mint.l2Block)), transactionHash: d.mint.l2Tx } : null,
    problem: d.problem ?? null,
  };
}

/** Where a recorded withdrawal is in its life. */
export function withdrawalStatus(engine: SettlementEngine, w: WithdrawalRecord): WithdrawalStatus {
  const b = engine.data.batches[w.batch];
  if (!b || b.invalidated || b.rolledBack) return "invalidated";
  const broker = engine.bridge.config.mode === "broker" && w.broker !== undefined;
  if (w.escaped?.height !== undefined) return "paid";
  if (w.payout?.height !== undefined) return broker ? "reimbursed" : "paid";
  if (engine.isFinal(b)) return "finalized";
  if (engine.isAnchored(b)) return "anchored";
  if (w.broker?.height !== undefined) return "paid-by-broker";
  return "initiated";
}

const spendableCache = new WeakMap<SettlementEngine, { key: string; sats: Map<string, bigint> }>();

/** The sats a payer can spend in the next block, computed once per chain state (a list of withdrawals asks often). */
function spendableSats(engine: SettlementEngine, script: Uint8Array): bigint {
  const key = `${engine.bitcoin.tipHash}/${engine.bitcoin.mempoolEntries().length}`;
  let cached = spendableCache.get(engine);
  if (cached?.key !== key) {
    cached = { key, sats: new Map() };
    spendableCache.set(engine, cached);
  }
  const id = Buffer.from(script).toString("hex");
  let sats = cached.sats.get(id);
  if (sats === undefined) {
    sats = spendableCoins(engine.bitcoin, script).reduce((sum, c) => sum + c.value, 0n);
    cached.sats.set(id, sats);
  }
  return sats;
}

/** Why a withdrawal that is due has no payment yet: its payer's spendable coins on Bitcoin do not cover it. */
function waiting(engine: SettlementEngine, w: WithdrawalRecord, status: WithdrawalStatus): string | null {
  const spendable = (script: Uint8Array) => spendableSats(engine, script);
  const amount = BigInt(w.amount);
  const { bridge, broker } = engine.bridge.payers;
  if (status === "finalized" && !w.payout) {
    const have = spendable(bridge.output.script);
    if (have < amount) {
      return `the bridge holds ${have} spendable sats on Bitcoin, less than this withdrawal (the dev accounts' L2 balances are backed only by the genesis reserve); it is paid once peg-ins bring enough`;
    }
  }
  if (engine.bridge.config.mode === "broker" && !w.broker && (status === "initiated" || status === "anchored")) {
    const have = spendable(broker.output.script);
    if (have < amount)
      return `the broker holds ${have} spendable sats on Bitcoin, less than this withdrawal: the bridge pays it at hard finality`;
  }
  return null;
}

export function withdrawalView(engine: SettlementEngine, w: WithdrawalRecord) {
  const reimbursed = w.broker !== undefined;
  const status = withdrawalStatus(engine, w);
  return {
    id: w.id,
    index: quantity(BigInt(w.index)),
    status,
    from: toChecksumAddress(w.from),
    btcAddress: w.btcAddress,
    scriptPubKey: w.script,
    amountSats: Number(w.amount),
    feeSats: Number(WITHDRAWAL_FEE_SATS),
    paidSats: Number(BigInt(w.amount) - WITHDRAWAL_FEE_SATS),
    transactionHash: w.l2Tx,
    blockNumber: quantity(BigInt(w.l2Block)),
    batch: w.batch,
    // What the user received on Bitcoin, and from whom.
    payment: ref(w.escaped ?? (reimbursed ? w.broker : w.payout)),
    paidBy: w.escaped ? "bridge (escape hatch)" : reimbursed ? "broker" : w.payout ? "bridge" : null,
    reimbursement: reimbursed ? ref(w.payout) : null,
    invalidated: engine.data.batches[w.batch]?.invalidated?.reason ?? null,
    waiting: waiting(engine, w, status),
  };
}

/** Burns in L2 blocks no batch has sealed yet: initiated, not yet committed anywhere. */
function unsealedWithdrawals(engine: SettlementEngine) {
  const store = engine.l2.store;
  const views = [];
  for (let n = engine.lastSealed() + 1n; n <= store.height; n++) {
    const block = store.byNumber(n);
    if (!block || block.receipts.length === 0) continue;
    for (const burn of burnsOf(block)) {
      views.push({
        id: burn.id,
        index: quantity(burn.index),
        status: "initiated" as WithdrawalStatus,
        from: toChecksumAddress(burn.from),
        btcAddress: burn.btcAddress,
        scriptPubKey: burn.script,
        amountSats: Number(burn.amount),
        feeSats: Number(WITHDRAWAL_FEE_SATS),
        paidSats: Number(burn.amount - WITHDRAWAL_FEE_SATS),
        transactionHash: burn.l2Tx,
        blockNumber: quantity(burn.l2Block),
        batch: null,
        payment: null,
        paidBy: null,
        reimbursement: null,
        invalidated: null,
        waiting: null,
      });
    }
  }
  return views;
}

/** A withdrawal as bitlayer_getWithdrawal answers it. */
export type WithdrawalView = ReturnType<typeof withdrawalView> | ReturnType<typeof unsealedWithdrawals>[number];

/** bitlayer_bridgeInfo's answer. */
export type BridgeInfo = ReturnType<typeof bridgeInfo>;

/** A deposit as bitlayer_getDeposit answers it. */
export type DepositView = ReturnType<typeof depositView>;

/** A forced transaction as bitlayer_getForcedTransaction answers it. */
export type ForcedView = ReturnType<typeof forcedView>;

/** bitlayer_bridgeAccounting's answer. */
export type BridgeAccounting = Awaited<ReturnType<typeof bridgeAccounting>>;

/** Every withdrawal, oldest first: the recorded ones (newest record for an id), then the unsealed ones. */
export function allWithdrawals(engine: SettlementEngine): WithdrawalView[] {
  return [...engine.bridge.data.withdrawals.map((w) => withdrawalView(engine, w)), ...unsealedWithdrawals(engine)];
}

/** A withdrawal by its id or by the hash of the L2 transaction that made it (the latest, after a recovery). */
export function findWithdrawal(engine: SettlementEngine, key: string): WithdrawalView | undefined {
  const k = key.toLowerCase();
  const unsealed = unsealedWithdrawals(engine);
  for (let i = unsealed.length - 1; i >= 0; i--) if (unsealed[i].id === k || unsealed[i].transactionHash === k) return unsealed[i];
  const records = engine.bridge.data.withdrawals;
  for (let i = records.length - 1; i >= 0; i--) {
    if (records[i].id === k || records[i].l2Tx === k) return withdrawalView(engine, records[i]);
  }
  return undefined;
}

export function forcedView(engine: SettlementEngine, f: ForcedRecord) {
  const status = f.problem
    ? "rejected"
    : f.included
      ? "included"
      : f.dropped
        ? "dropped"
        : f.escape
          ? "escaped"
          : engine.bitcoin.height - f.height + 1 >= engine.bridge.config.depositConfirmations
            ? engine.bridge.data.censoring
              ? "censored"
              : "confirmed"
            : "pending";
  return {
    txid: f.txid,
    height: f.height,
    transactionHash: f.l2Tx ?? null,
    from: f.from ? toChecksumAddress(f.from) : null,
    status,
    deadline: f.deadline,
    includedIn: f.included ? quantity(BigInt(f.included.l2Block)) : null,
    problem: f.problem ?? f.dropped ?? null,
    escape: f.escape
      ? {
          finalizedBlock: quantity(BigInt(f.escape.finalizedBlock)),
          withdrawal: f.escape.withdrawal ?? null,
          amountSats: f.escape.amount ? Number(f.escape.amount) : null,
          payment: ref(f.escape.payout),
          problem: f.escape.problem ?? null,
        }
      : null,
  };
}

/**
 * The bridge's books. On Bitcoin, `lockedSats` (the confirmed coins at the bridge's address) must equal
 * the genesis reserve + what peg-ins brought (minted, waiting for their mint, or unmintable) − what the
 * bridge paid out (payouts, reimbursements, escapes, each counted at the withdrawal's full amount: its fee
 * went to the miners). On the L2, the bridge contract's balance must equal its genesis reserve − minted +
 * burned. Both are checked here, from independent sources: the UTXO set and the L2 state vs the records.
 */
export async function bridgeAccounting(engine: SettlementEngine) {
  const bridge = engine.bridge;
  const bitcoin = engine.bitcoin;
  const script = Buffer.from(bridge.payers.bridge.output.script);
  let locked = 0n;
  let reserve = 0n;
  for (const { coin } of bitcoin.listCoins()) {
    if (!script.equals(coin.script)) continue;
    locked += coin.value;
  }
  const [first, last] = PREMINE.bridgeReserve;
  for (let h = first; h <= last; h++) {
    const coinbase = bitcoin.getBlock(h)?.transactions?.[0];
    if (coinbase && script.equals(coinbase.outs[0].script)) reserve += coinbase.outs[0].value;
  }
  let minted = 0n;
  let awaiting = 0n;
  let unmintable = 0n;
  for (const d of bridge.data.deposits) {
    const amount = BigInt(d.amount);
    if (d.problem) unmintable += amount;
    else if (d.mint) minted += amount;
    else awaiting += amount;
  }
  let paid = 0n;
  let outstanding = 0n;
  const mined = (r: TxRef | undefined) => r?.height !== undefined;
  for (const w of bridge.data.withdrawals) {
    if (mined(w.payout)) paid += BigInt(w.amount);
    else if (!mined(w.escaped) && withdrawalStatus(engine, w) !== "invalidated") outstanding += BigInt(w.amount);
  }
  for (const f of bridge.data.forced) if (mined(f.escape?.payout) && f.escape?.amount) paid += BigInt(f.escape.amount);
  const expected = reserve + minted + awaiting + unmintable - paid;
  const l2 = await l2Books(engine);
  return {
    bitcoin: {
      lockedSats: Number(locked),
      genesisReserveSats: Number(reserve),
      mintedSats: Number(minted),
      awaitingMintSats: Number(awaiting),
      unmintableSats: Number(unmintable),
      paidOutSats: Number(paid),
      spendableSats: Number(spendableCoins(bitcoin, script).reduce((s, c) => s + c.value, 0n)),
      holds: locked === expected,
    },
    l2: {
      mintedSats: Number(l2.minted),
      burnedSats: Number(l2.burned),
      reserveWei: quantity(l2.balance),
      holds: l2.minted === minted && l2.balance === l2.genesis - l2.minted * WEI_PER_SAT + l2.burned * WEI_PER_SAT,
    },
    // Burned on the L2 in a valid batch and not paid yet (burns not yet in a batch are not counted).
    outstandingSats: Number(outstanding),
  };
}

async function l2Books(engine: SettlementEngine) {
  const { BRIDGE_RESERVE_WEI } = await import("./predeploys.js");
  const l2 = engine.l2;
  const vm = await l2.vmAt(await l2.state.getStateRoot(), "the current state");
  const to = createAddressFromString(BITCOIN_BRIDGE.address);
  const call = async (name: "totalMintedSats" | "totalBurnedSats") => {
    const result = await vm.evm.runCall({
      to,
      data: hexToBytes(bridgeInterface.encodeFunctionData(name) as `0x${string}`),
      gasLimit: 1_000_000n,
    });
    return BigInt(bridgeInterface.decodeFunctionResult(name, result.execResult.returnValue)[0] as bigint);
  };
  const balance = (await vm.stateManager.getAccount(to))?.balance ?? 0n;
  return { minted: await call("totalMintedSats"), burned: await call("totalBurnedSats"), balance, genesis: BRIDGE_RESERVE_WEI };
}
