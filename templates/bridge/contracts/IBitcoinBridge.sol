// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Bitlayer's BTC bridge, as the devnet predeploys it at 0xB17C000000000000000000000000000000000002
/// @notice BTC is the L2's native coin (1 sat = 10^10 wei). `withdraw` burns msg.value for a payout on Bitcoin,
/// made once the burn's batch is hard final (after the challenge window), minus a fixed fee.
interface IBitcoinBridge {
    event WithdrawalInitiated(
        bytes32 indexed id, address indexed from, uint256 indexed index, string btcAddress, bytes scriptPubKey, uint256 amountSats
    );

    /// @notice Fee, in sats, deducted from each withdrawal's Bitcoin payout.
    function WITHDRAWAL_FEE_SATS() external view returns (uint256);

    /// @notice Smallest withdrawal, in sats.
    function MIN_WITHDRAWAL_SATS() external view returns (uint256);

    /// @notice Burns msg.value (a whole number of sats, at least MIN_WITHDRAWAL_SATS) for a payout to `btcAddress`
    /// (a segwit address: bcrt1q... or bcrt1p... on the devnet). Returns the withdrawal's id.
    function withdraw(string calldata btcAddress) external payable returns (bytes32 id);
}
