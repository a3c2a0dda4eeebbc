// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A contract with a clock: its views read block.timestamp and block.number, so a view at `latest`
/// must see the latest block's values (as Hardhat, Anvil and geth run it), not the next block's.
contract Timelock {
    uint256 public immutable unlockTime;
    uint256 public immutable unlockBlock;
    uint256 public released;

    error Locked(uint256 nowTime, uint256 unlockTime);

    constructor(uint256 unlockTime_, uint256 unlockBlock_) payable {
        unlockTime = unlockTime_;
        unlockBlock = unlockBlock_;
    }

    function currentTime() external view returns (uint256) {
        return block.timestamp;
    }

    function currentBlock() external view returns (uint256) {
        return block.number;
    }

    function isUnlocked() public view returns (bool) {
        return block.timestamp >= unlockTime;
    }

    function remaining() external view returns (uint256) {
        return block.timestamp >= unlockTime ? 0 : unlockTime - block.timestamp;
    }

    function blocksToGo() external view returns (uint256) {
        return block.number >= unlockBlock ? 0 : unlockBlock - block.number;
    }

    function release() external {
        if (!isUnlocked()) revert Locked(block.timestamp, unlockTime);
        released += 1;
    }
}
