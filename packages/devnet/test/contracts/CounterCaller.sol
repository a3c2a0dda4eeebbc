// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// The part of Counter that CounterCaller uses.
interface ICounterLike {
    function increment() external;
    function count() external view returns (uint256);
}

/// Test contract that calls another contract: nested frames for debug_traceTransaction's callTracer.
contract CounterCaller {
    event Relayed(address indexed target, uint256 newCount);

    /// Two CALLs to `counter.increment()`, then a STATICCALL to `counter.count()`.
    function incrementTwice(address counter) external returns (uint256 newCount) {
        ICounterLike(counter).increment();
        ICounterLike(counter).increment();
        newCount = ICounterLike(counter).count();
        emit Relayed(counter, newCount);
    }
}
