// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title A counter anyone can increment
contract Counter {
    uint256 public count;

    event Incremented(address indexed by, uint256 newCount);

    error TooLarge(uint256 given, uint256 max);

    constructor(uint256 initial) {
        count = initial;
    }

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }

    function incrementBy(uint256 amount) external {
        if (amount == 0 || amount > 1000) revert TooLarge(amount, 1000);
        count += amount;
        emit Incremented(msg.sender, count);
    }
}
