// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBitcoinLightClient} from "./IBitcoinLightClient.sol";

/// @title Bitcoin light client of the Bitlayer devnet
/// @notice Predeployed at 0xb17C000000000000000000000000000000000001 (runtime code placed in the L2
/// genesis: no constructor runs, so everything fixed is a constant). See IBitcoinLightClient.
/// @dev Storage: slot 0 holds the bookkeeping (checkpoint height, latest height + 1, nBits); each header
/// takes one slot of `_hashes`, its sha256d in internal byte order (as the next header's prev-block field
/// carries it). Hashes are byte-reversed only at the interface, where RPC display order is used.
contract BitcoinLightClient is IBitcoinLightClient {
    address internal constant SYSTEM = 0xe38D202953D5c26d7C24dfFFa1244FA9A34f9fE7;
    uint256 internal constant HEADER_SIZE = 80;

    struct Tip {
        /// Height of the checkpoint (the first header stored).
        uint64 first;
        /// Latest stored height + 1; 0 before the first submission.
        uint64 next;
        /// nBits of the latest header, which every later header must repeat.
        uint32 bits;
    }

    Tip internal _tip;
    mapping(uint256 height => bytes32 internalHash) internal _hashes;

    /// @inheritdoc IBitcoinLightClient
    function submitHeaders(uint256 firstHeight_, bytes calldata headers) external {
        require(msg.sender == SYSTEM, "BitcoinLightClient: only the system account");
        uint256 count = headers.length / HEADER_SIZE;
        require(count != 0 && headers.length % HEADER_SIZE == 0, "BitcoinLightClient: headers must be a positive multiple of 80 bytes");
        require(firstHeight_ < type(uint64).max - count, "BitcoinLightClient: height out of range");

        Tip memory tip = _tip;
        uint256 offset;
        assembly {
            offset := headers.offset
        }
        uint256 end = offset + headers.length;
        uint256 height = firstHeight_;
        uint256 bits;
        bytes32 prevHash;
        bool linked = tip.next != 0 && firstHeight_ == tip.next;
        if (tip.next == 0) {
            // The checkpoint: trusted where it links to, but it must meet its own proof of work.
            tip.first = uint64(firstHeight_);
            bits = _bitsAt(offset);
        } else if (!linked) {
            // A jump forward (the chain moved on by more than the system feeds at once): a new checkpoint,
            // under the same nBits; the heights before it are no longer served.
            require(firstHeight_ > tip.next, "BitcoinLightClient: firstHeight must be latestHeight() + 1 or later");
            tip.first = uint64(firstHeight_);
            bits = tip.bits;
            require(_bitsAt(offset) == bits, "BitcoinLightClient: nBits differs from the previous header");
        } else {
            bits = tip.bits;
            prevHash = _hashes[firstHeight_ - 1];
        }
        uint256 target = _target(bits);

        unchecked {
            for (; offset < end; offset += HEADER_SIZE) {
                if (linked) {
                    require(_prevHashAt(offset) == prevHash, "BitcoinLightClient: header does not extend the previous one");
                    require(_bitsAt(offset) == bits, "BitcoinLightClient: nBits differs from the previous header");
                }
                linked = true;
                bytes32 hash = _hash256Header(offset);
                require(uint256(_reverse(hash)) <= target, "BitcoinLightClient: insufficient proof of work");
                _hashes[height] = hash;
                prevHash = hash;
                ++height;
            }
        }

        tip.next = uint64(height);
        tip.bits = uint32(bits);
        _tip = tip;
        emit HeadersSubmitted(firstHeight_, count, _reverse(prevHash));
    }

    /// @inheritdoc IBitcoinLightClient
    function latestHeight() external view returns (uint256) {
        uint256 next = _tip.next;
        require(next != 0, "BitcoinLightClient: no header yet");
        return next - 1;
    }

    /// @inheritdoc IBitcoinLightClient
    function firstHeight() external view returns (uint256) {
        Tip memory tip = _tip;
        require(tip.next != 0, "BitcoinLightClient: no header yet");
        return tip.first;
    }

    /// @inheritdoc IBitcoinLightClient
    function blockHash(uint256 height) external view returns (bytes32) {
        _requireStored(height);
        return _reverse(_hashes[height]);
    }

    /// @inheritdoc IBitcoinLightClient
    function confirmations(uint256 height) external view returns (uint256) {
        return _requireStored(height) - height;
    }

    /// @inheritdoc IBitcoinLightClient
    function verifyInclusion(bytes32 txid, uint256 height, bytes calldata header, bytes32[] calldata proof, uint256 index)
        external
        view
        returns (bool)
    {
        _requireStored(height);
        if (header.length != HEADER_SIZE) return false;
        uint256 offset;
        assembly {
            offset := header.offset
        }
        if (_hash256Header(offset) != _hashes[height]) return false;
        if (proof.length < 256 && index >> proof.length != 0) return false;

        bytes32 node = _reverse(txid);
        for (uint256 level = 0; level < proof.length; ++level) {
            bytes32 sibling = _reverse(proof[level]);
            if ((index >> level) & 1 == 0) {
                node = _hash256Pair(node, sibling);
            } else {
                // A right child equal to its left sibling is the duplicate Bitcoin pads an odd level with:
                // no transaction is at that position.
                if (sibling == node) return false;
                node = _hash256Pair(sibling, node);
            }
        }
        return node == _merkleRootAt(offset);
    }

    /// Reverts unless `height` is stored; returns the latest height + 1.
    function _requireStored(uint256 height) internal view returns (uint256 next) {
        Tip memory tip = _tip;
        next = tip.next;
        require(height >= tip.first && height < next, "BitcoinLightClient: unknown height");
    }

    /// The target an nBits encodes (mantissa * 256**(exponent - 3)); reverts on a negative, zero or
    /// overflowing encoding, as Bitcoin Core refuses them.
    function _target(uint256 bits) internal pure returns (uint256 target) {
        uint256 exponent = bits >> 24;
        uint256 mantissa = bits & 0x007fffff;
        bool negative = bits & 0x00800000 != 0;
        bool overflow = mantissa != 0 && (exponent > 34 || (mantissa > 0xff && exponent > 33) || (mantissa > 0xffff && exponent > 32));
        require(!negative && !overflow, "BitcoinLightClient: invalid nBits");
        target = exponent <= 3 ? mantissa >> (8 * (3 - exponent)) : mantissa << (8 * (exponent - 3));
        require(target != 0, "BitcoinLightClient: invalid nBits");
    }

    /// nBits of the header at calldata `offset` (bytes 72..76, little-endian).
    function _bitsAt(uint256 offset) internal pure returns (uint256 bits) {
        uint256 le;
        assembly {
            le := shr(224, calldataload(add(offset, 72)))
        }
        bits = ((le & 0xff) << 24) | ((le & 0xff00) << 8) | ((le >> 8) & 0xff00) | (le >> 24);
    }

    /// The prev-block field (bytes 4..36, internal order) of the header at calldata `offset`.
    function _prevHashAt(uint256 offset) internal pure returns (bytes32 prev) {
        assembly {
            prev := calldataload(add(offset, 4))
        }
    }

    /// The merkle root field (bytes 36..68, internal order) of the header at calldata `offset`.
    function _merkleRootAt(uint256 offset) internal pure returns (bytes32 root) {
        assembly {
            root := calldataload(add(offset, 36))
        }
    }

    /// sha256(sha256(header)) of the 80 bytes at calldata `offset`, internal order, with the sha256
    /// precompile; the header is copied to unallocated memory, the digests go through the scratch space.
    function _hash256Header(uint256 offset) internal view returns (bytes32 hash) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, offset, 80)
            if iszero(staticcall(gas(), 0x02, p, 80, 0x00, 0x20)) { revert(0, 0) }
            if iszero(staticcall(gas(), 0x02, 0x00, 0x20, 0x00, 0x20)) { revert(0, 0) }
            hash := mload(0x00)
        }
    }

    /// sha256(sha256(left || right)): a merkle parent in internal order.
    function _hash256Pair(bytes32 left, bytes32 right) internal view returns (bytes32 hash) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            if iszero(staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20)) { revert(0, 0) }
            if iszero(staticcall(gas(), 0x02, 0x00, 0x20, 0x00, 0x20)) { revert(0, 0) }
            hash := mload(0x00)
        }
    }

    /// The 32 bytes in reverse order: internal <-> display order of a hash, and a hash as a
    /// little-endian number.
    function _reverse(bytes32 value) internal pure returns (bytes32) {
        uint256 v = uint256(value);
        v = ((v >> 8) & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff)
            | ((v & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff) << 8);
        v = ((v >> 16) & 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff)
            | ((v & 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff) << 16);
        v = ((v >> 32) & 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff)
            | ((v & 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff) << 32);
        v = ((v >> 64) & 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff)
            | ((v & 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff) << 64);
        return bytes32((v >> 128) | (v << 128));
    }
}
