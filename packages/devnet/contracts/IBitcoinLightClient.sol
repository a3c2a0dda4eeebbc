// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Bitcoin light client of the Bitlayer devnet
/// @notice Predeployed at 0xb17C000000000000000000000000000000000001. A relay of Bitcoin block headers
/// (one stored hash per height), fed by the devnet's system account at the start of L2 blocks, against
/// which anyone can check that a Bitcoin transaction is in a block and how deep that block is.
/// @dev Hashes taken and returned by the functions are in the byte order Bitcoin Core's RPC prints
/// (`getblockhash`, the txids of `getblock`): the reverse of the raw sha256d output. Raw headers are the
/// 80 serialized bytes (`getblockheader <hash> false`).
interface IBitcoinLightClient {
    /// @notice Headers `firstHeight` .. `firstHeight + count - 1` were added; `latestHash` is the new
    /// tip's hash, in RPC display order.
    event HeadersSubmitted(uint256 firstHeight, uint256 count, bytes32 latestHash);

    /// @notice Adds consecutive raw 80-byte headers starting at `firstHeight` (system account only).
    /// The first submission ever is the checkpoint and may start at any height; later ones start at
    /// `latestHeight() + 1`, or later: a jump forward is a new checkpoint, and `firstHeight()` moves to
    /// it (the devnet jumps after a warp of more Bitcoin blocks than it feeds at once). Each header must
    /// link to the previous one, keep its nBits (no retargeting, as on regtest) and meet the proof of
    /// work its nBits encodes.
    function submitHeaders(uint256 firstHeight, bytes calldata headers) external;

    /// @notice Height of the newest stored header. Reverts before the first submission.
    function latestHeight() external view returns (uint256);

    /// @notice Height of the checkpoint, the oldest stored header. Reverts before the first submission.
    function firstHeight() external view returns (uint256);

    /// @notice Hash of the stored block at `height`, in RPC display order (as `getblockhash` prints it).
    /// Reverts if the height is not stored.
    function blockHash(uint256 height) external view returns (bytes32);

    /// @notice Number of confirmations of the block at `height`: 1 for the newest stored header.
    /// Reverts if the height is not stored.
    function confirmations(uint256 height) external view returns (uint256);

    /// @notice Whether transaction `txid` (display order) is in the block at `height`: `header` is that
    /// block's raw 80-byte header and `proof` the merkle branch (sibling hashes from the leaves up, display
    /// order) of the transaction at position `index` in the block. A block of one transaction has an
    /// empty proof. Reverts if the height is not stored; false for anything that does not check out,
    /// including a position that is only the duplicate Bitcoin pads an odd level of the tree with.
    function verifyInclusion(bytes32 txid, uint256 height, bytes calldata header, bytes32[] calldata proof, uint256 index)
        external
        view
        returns (bool);
}
