// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// Test contract: state, an indexed event, and the three kinds of revert
/// (require string, custom error with arguments, panic).
contract Counter {
    uint256 public count;
    address public lastCaller;

    event Incremented(address indexed by, uint256 indexed newCount, uint256 amount);

    error TooLarge(uint256 given, uint256 max);

    constructor(uint256 initial) {
        count = initial;
    }

    function increment() external {
        _add(1);
    }

    function incrementBy(uint256 amount) external {
        require(amount > 0, "amount must be positive");
        if (amount > 1000) revert TooLarge(amount, 1000);
        _add(amount);
    }

    function set(uint256 value) external {
        count = value;
        lastCaller = msg.sender;
    }

    /// Panics with code 0x12 (division by zero) when divisor is 0.
    function divide(uint256 divisor) external view returns (uint256) {
        return count / divisor;
    }

    /// Panics with code 0x01 (assert) when count is not `expected`.
    function assertCount(uint256 expected) external view {
        assert(count == expected);
    }

    function _add(uint256 amount) private {
        count += amount;
        lastCaller = msg.sender;
        emit Incremented(msg.sender, count, amount);
    }
}
