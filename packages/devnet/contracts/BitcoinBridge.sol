// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBitcoinBridge} from "./IBitcoinBridge.sol";

/// @title Bitcoin bridge of the Bitlayer devnet
/// @notice Predeployed at 0xB17C000000000000000000000000000000000002 (runtime code placed in the L2
/// genesis with a large balance, the reserve: no constructor runs, so everything fixed is a constant).
/// See IBitcoinBridge. There is deliberately no receive() or fallback(): plain transfers are refused.
/// @dev Withdrawal addresses are parsed per BIP173 (bech32) and BIP350 (bech32m); only the regtest
/// ("bcrt") P2WPKH, P2WSH and P2TR forms are accepted.
contract BitcoinBridge is IBitcoinBridge {
    /// @inheritdoc IBitcoinBridge
    address public constant SYSTEM = 0xe38D202953D5c26d7C24dfFFa1244FA9A34f9fE7;
    /// @inheritdoc IBitcoinBridge
    uint256 public constant WITHDRAWAL_FEE_SATS = 1000;
    /// @inheritdoc IBitcoinBridge
    uint256 public constant MIN_WITHDRAWAL_SATS = 2000;
    /// @inheritdoc IBitcoinBridge
    uint256 public constant SATS = 1e10;

    /// 21 million BTC: no deposit can be larger.
    uint256 internal constant MAX_SATS = 21e14;

    /// The bech32 checksum residues (BIP173, BIP350).
    uint256 internal constant BECH32_CONST = 1;
    uint256 internal constant BECH32M_CONST = 0x2bc830a3;
    /// The checksum state after the expanded human-readable part "bcrt" (BIP173 hrp_expand), the same
    /// for every regtest address.
    uint256 internal constant BCRT_POLYMOD = 0x1775e10d;

    /// The characters' table, byte c for character c (ASCII 0x20..0x7f here; every other byte is 0x80):
    /// its 5-bit value in the bech32 charset ("qpzry9x8gf2tvdw0s3jn54khce6mua7l"), ORed with 0x20 for a
    /// lowercase letter, 0x40 for an uppercase one, or 0x80 if the character is not in the charset.
    bytes32 internal constant CHARS_20 = 0x808080808080808080808080808080800f800a1115141a1e0705808080808080;
    bytes32 internal constant CHARS_40 = 0x805d80584d594948578052565f5b5380414043504b5c4c4e4644428080808080;
    bytes32 internal constant CHARS_60 = 0x803d80382d392928378032363f3b3380212023302b3c2c2e2624228080808080;
    bytes32 internal constant NOT_IN_CHARSET = 0x8080808080808080808080808080808080808080808080808080808080808080;
    uint256 internal constant LOWER = 0x20;
    uint256 internal constant UPPER = 0x40;
    uint256 internal constant INVALID = 0x80;

    /// The polymod generators' table: for each value b of the 5 bits shifted out, the XOR of the BIP173
    /// generators [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] selected by b's bits,
    /// 32 big-endian uint32s.
    bytes32 internal constant GEN_0 = 0x000000003b6a57b226508e6d1d3ad9df1ea119fa25cb4e4838f19797039bc025;
    bytes32 internal constant GEN_1 = 0x3d4233dd0628646f1b12bdb02078ea0223e32a2718897d9505b3a44a3ed9f3f8;
    bytes32 internal constant GEN_2 = 0x2a1462b3117e35010c44ecde372ebb6c34b57b490fdf2cfb12e5f524298fa296;
    bytes32 internal constant GEN_3 = 0x1756516e2c3c06dc3106df030a6c88b109f74894329d1f262fa7c6f914cd914b;

    /// Withdrawal bookkeeping, in one slot (one write per withdrawal).
    struct Withdrawals {
        uint128 count;
        uint128 burnedSats;
    }

    uint256 internal _totalMintedSats;
    Withdrawals internal _withdrawals;
    /// keccak256(abi.encode(btcTxid, vout)) of each minted deposit.
    mapping(bytes32 outpoint => bool) internal _minted;

    /// @inheritdoc IBitcoinBridge
    function mint(address recipient, uint256 amountSats, bytes32 btcTxid, uint32 vout) external {
        require(msg.sender == SYSTEM, "BitcoinBridge: only the system account");
        require(recipient != address(0), "BitcoinBridge: zero recipient");
        require(amountSats != 0, "BitcoinBridge: zero amount");
        require(amountSats <= MAX_SATS, "BitcoinBridge: amount above 21 million BTC");
        bytes32 key = keccak256(abi.encode(btcTxid, vout));
        require(!_minted[key], "BitcoinBridge: deposit already minted");
        uint256 value = amountSats * SATS;
        require(address(this).balance >= value, "BitcoinBridge: reserve too low");

        _minted[key] = true;
        _totalMintedSats += amountSats;
        bool ok;
        assembly {
            // No return data copied: the recipient cannot make the system pay for a large one.
            ok := call(gas(), recipient, value, 0, 0, 0, 0)
        }
        require(ok, "BitcoinBridge: the recipient refused the deposit");
        emit DepositMinted(btcTxid, vout, recipient, amountSats);
    }

    /// @inheritdoc IBitcoinBridge
    function withdraw(string calldata btcAddress) external payable returns (bytes32 id) {
        require(msg.value % SATS == 0, "BitcoinBridge: amount is not a whole number of sats");
        uint256 sats = msg.value / SATS;
        require(
            sats >= MIN_WITHDRAWAL_SATS,
            "BitcoinBridge: amount below the minimum withdrawal of 2000 sats (the 1000-sat fee plus more than dust)"
        );
        bytes memory scriptPubKey = _scriptPubKey(btcAddress);

        Withdrawals memory w = _withdrawals;
        uint256 index = w.count;
        uint256 burned = w.burnedSats + sats;
        require(burned <= type(uint128).max, "BitcoinBridge: amount too large");
        id = keccak256(abi.encode(block.chainid, index, msg.sender, msg.value, btcAddress, block.number, block.timestamp));
        _withdrawals = Withdrawals({count: uint128(index + 1), burnedSats: uint128(burned)});
        emit WithdrawalInitiated(id, msg.sender, index, btcAddress, scriptPubKey, sats);
    }

    /// @inheritdoc IBitcoinBridge
    function scriptPubKeyOf(string calldata btcAddress) external pure returns (bytes memory) {
        return _scriptPubKey(btcAddress);
    }

    /// @inheritdoc IBitcoinBridge
    function totalMintedSats() external view returns (uint256) {
        return _totalMintedSats;
    }

    /// @inheritdoc IBitcoinBridge
    function totalBurnedSats() external view returns (uint256) {
        return _withdrawals.burnedSats;
    }

    /// @inheritdoc IBitcoinBridge
    function withdrawalCount() external view returns (uint256) {
        return _withdrawals.count;
    }

    /// @inheritdoc IBitcoinBridge
    function isMinted(bytes32 btcTxid, uint32 vout) external view returns (bool) {
        return _minted[keccak256(abi.encode(btcTxid, vout))];
    }

    /// The output script of a regtest segwit address: 0x0014<20> (P2WPKH), 0x0020<32> (P2WSH) or
    /// 0x5120<32> (P2TR). Reverts "BitcoinBridge: invalid Bitcoin address: <reason>" for anything else.
    /// @dev The usual address takes one pass over its data part; a malformed one is examined again by
    /// _refuseMalformed for the reason (BIP173's checks in order: characters, separator, prefix, case).
    function _scriptPubKey(string calldata btcAddress) internal pure returns (bytes memory) {
        uint256 n = bytes(btcAddress).length;
        if (n == 0) _invalid("empty");
        if (n > 90) _invalid("longer than 90 characters");
        uint256 prefix = n < 5 ? 0 : uint40(bytes5(bytes(btcAddress)[0:5]));
        uint256 flags = prefix == 0x6263727431 ? LOWER : prefix == 0x4243525431 ? UPPER : 0; // "bcrt1", "BCRT1"
        if (flags == 0) _refuseMalformed(btcAddress);

        (uint256 dataFlags, uint256 residue, uint256 version, uint256 program, uint256 padding) = _decode(btcAddress);
        flags |= dataFlags;
        if (flags & INVALID != 0) _refuseMalformed(btcAddress);
        if (flags & (LOWER | UPPER) == LOWER | UPPER) _invalid("mixed case");
        // The data part: witness version, program, 6-character checksum.
        if (n < 12) _invalid("too short");
        if (residue != BECH32_CONST && residue != BECH32M_CONST) _invalid("bad checksum");
        if (version == 0) {
            if (residue != BECH32_CONST) _invalid("bech32 required for witness v0");
        } else if (version == 1) {
            if (residue != BECH32M_CONST) _invalid("bech32m required for witness v1");
        } else {
            _invalid("unsupported witness version");
        }

        if (version == 0 && n == 12 + 32) return abi.encodePacked(bytes2(0x0014), uint160(program));
        if (n != 12 + 52) _invalid("bad program length");
        if (padding != 0) _invalid("non-zero padding");
        return abi.encodePacked(version == 0 ? bytes2(0x0020) : bytes2(0x5120), program);
    }

    /// One pass over the data part (after "bcrt1"): the OR of its characters' table entries (the
    /// LOWER, UPPER and INVALID flags), the checksum residue (BIP173 polymod over "bcrt" and the data),
    /// the witness version (the first value), and, when the data part is 39 or 59 characters long (a 20-
    /// or 32-byte program), the program and its padding bits.
    function _decode(string calldata text)
        internal
        pure
        returns (uint256 flags, uint256 residue, uint256 version, uint256 program, uint256 padding)
    {
        assembly ("memory-safe") {
            // The tables, in memory past the free memory pointer (used here only): characters at
            // `chars` (256 bytes), generators at `gens` (128 bytes).
            let chars := mload(0x40)
            mstore(chars, NOT_IN_CHARSET)
            mstore(add(chars, 0x20), CHARS_20)
            mstore(add(chars, 0x40), CHARS_40)
            mstore(add(chars, 0x60), CHARS_60)
            mstore(add(chars, 0x80), NOT_IN_CHARSET)
            mstore(add(chars, 0xa0), NOT_IN_CHARSET)
            mstore(add(chars, 0xc0), NOT_IN_CHARSET)
            mstore(add(chars, 0xe0), NOT_IN_CHARSET)
            let gens := add(chars, 0x100)
            mstore(gens, GEN_0)
            mstore(add(gens, 0x20), GEN_1)
            mstore(add(gens, 0x40), GEN_2)
            mstore(add(gens, 0x60), GEN_3)

            let chk := BCRT_POLYMOD
            // The data's 5-bit values, concatenated into a 512-bit number hi:lo (at most 85 * 5 bits).
            let hi := 0
            let lo := 0
            let end := add(text.offset, text.length)
            for { let p := add(text.offset, 5) } lt(p, end) { p := add(p, 1) } {
                let entry := byte(0, mload(add(chars, byte(0, calldataload(p)))))
                flags := or(flags, entry)
                let v := and(entry, 0x1f)
                // chk = ((chk & 0x1ffffff) << 5) ^ v ^ (the generators of the 5 bits shifted out)
                let generators := shr(224, mload(add(gens, shl(2, shr(25, chk)))))
                chk := xor(xor(shl(5, and(chk, 0x1ffffff)), v), generators)
                hi := or(shl(5, hi), shr(251, lo))
                lo := or(shl(5, lo), v)
            }
            residue := chk
            if gt(text.length, 5) { version := and(byte(0, mload(add(chars, byte(0, calldataload(add(text.offset, 5)))))), 0x1f) }
            // Below the program: the checksum's 30 bits; above it: the version's 5.
            switch sub(text.length, 5)
            case 39 {
                // 32 groups: a 160-bit program.
                program := and(shr(30, lo), 0xffffffffffffffffffffffffffffffffffffffff)
            }
            case 59 {
                // 52 groups: a 256-bit program, then 4 bits of padding.
                padding := and(shr(30, lo), 0x0f)
                program := or(shr(34, lo), shl(222, hi))
            }
        }
    }

    /// Reverts with the reason a malformed address is refused, in BIP173's order.
    function _refuseMalformed(string calldata btcAddress) internal pure {
        (bool printable, bool hasLower, bool hasUpper, uint256 separator) = _scan(btcAddress);
        if (!printable) _invalid("invalid character");
        if (separator == bytes(btcAddress).length) _invalid("no separator");
        // "bcrt" in either case (| 0x20 lowercases letters, and only a B, C, R or T lowercases to b, c, r, t).
        if (separator != 4 || uint32(bytes4(bytes(btcAddress)[0:4])) | 0x20202020 != 0x62637274) {
            _invalid("not a regtest address");
        }
        if (hasLower && hasUpper) _invalid("mixed case");
        if (bytes(btcAddress).length < 12) _invalid("too short");
        _invalid("invalid character"); // not in the bech32 charset
    }

    /// One pass over the characters: whether all are printable US-ASCII (33..126), whether there are
    /// lowercase and uppercase letters, and the index of the last "1" (the length if there is none).
    function _scan(string calldata text)
        internal
        pure
        returns (bool printable, bool hasLower, bool hasUpper, uint256 separator)
    {
        assembly {
            let n := text.length
            separator := n
            let outside := 0
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let c := byte(0, calldataload(add(text.offset, i)))
                outside := or(outside, or(lt(c, 33), gt(c, 126)))
                hasLower := or(hasLower, and(gt(c, 0x60), lt(c, 0x7b)))
                hasUpper := or(hasUpper, and(gt(c, 0x40), lt(c, 0x5b)))
                if eq(c, 0x31) { separator := i }
            }
            printable := iszero(outside)
        }
    }

    function _invalid(string memory reason) internal pure {
        revert(string.concat("BitcoinBridge: invalid Bitcoin address: ", reason));
    }
}
