// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Bitcoin bridge of the Bitlayer devnet
/// @notice Predeployed at 0xB17C000000000000000000000000000000000002. BTC is the L2's native coin (1 sat =
/// 10^10 wei). Deposits confirmed on Bitcoin are minted to their recipients by the devnet's system account;
/// withdrawals burn native BTC here and are paid out on Bitcoin by the devnet, minus a fixed fee. The
/// bridge's balance is the reserve of unminted BTC: minting pays out of it, burning returns value into it.
/// Plain transfers to the bridge are refused.
interface IBitcoinBridge {
    /// @notice The deposit `vout` of Bitcoin transaction `btcTxid` (display order) was minted:
    /// `amountSats` * 10^10 wei paid to `recipient`.
    event DepositMinted(bytes32 indexed btcTxid, uint32 vout, address indexed recipient, uint256 amountSats);

    /// @notice Withdrawal number `index` (from 0) of `amountSats` to `btcAddress` (whose output script is
    /// `scriptPubKey`) was burned by `from`. The Bitcoin payout is `amountSats - WITHDRAWAL_FEE_SATS`.
    event WithdrawalInitiated(
        bytes32 indexed id, address indexed from, uint256 indexed index, string btcAddress, bytes scriptPubKey, uint256 amountSats
    );

    /// @notice The devnet's system account, the only sender allowed to mint.
    function SYSTEM() external view returns (address);

    /// @notice Fee, in sats, the devnet deducts from each withdrawal's Bitcoin payout.
    function WITHDRAWAL_FEE_SATS() external view returns (uint256);

    /// @notice Smallest withdrawal, in sats: the fee plus an output above Bitcoin's dust limit.
    function MIN_WITHDRAWAL_SATS() external view returns (uint256);

    /// @notice Wei per satoshi (10^10).
    function SATS() external view returns (uint256);

    /// @notice Pays `amountSats` * 10^10 wei from the reserve to `recipient` for the Bitcoin deposit
    /// `btcTxid`:`vout` (system account only; each deposit once). Reverts if the recipient refuses the value.
    function mint(address recipient, uint256 amountSats, bytes32 btcTxid, uint32 vout) external;

    /// @notice Burns `msg.value` (a whole number of sats, at least MIN_WITHDRAWAL_SATS) for a payout to
    /// `btcAddress`, a regtest segwit address: P2WPKH or P2WSH (bech32, `bcrt1q...`) or P2TR (bech32m,
    /// `bcrt1p...`), all lowercase or all uppercase. Returns the withdrawal's id.
    function withdraw(string calldata btcAddress) external payable returns (bytes32 id);

    /// @notice The output script `withdraw` would pay for `btcAddress`; reverts with the same messages.
    function scriptPubKeyOf(string calldata btcAddress) external pure returns (bytes memory);

    /// @notice Sum of the sats minted so far.
    function totalMintedSats() external view returns (uint256);

    /// @notice Sum of the sats burned by withdrawals so far (fees included).
    function totalBurnedSats() external view returns (uint256);

    /// @notice Number of withdrawals so far (the next withdrawal's index).
    function withdrawalCount() external view returns (uint256);

    /// @notice Whether the deposit `btcTxid`:`vout` (display order) has been minted.
    function isMinted(bytes32 btcTxid, uint32 vout) external view returns (bool);
}
