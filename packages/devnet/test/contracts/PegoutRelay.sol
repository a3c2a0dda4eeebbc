// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// The one function of the devnet's Bitcoin bridge that PegoutRelay calls.
interface IPegoutBridge {
    function withdraw(string calldata btcAddress) external payable returns (bytes32 id);
}

/// Test contract that pegs out through the bridge: the withdrawal's sender (`from`) is this contract.
contract PegoutRelay {
    IPegoutBridge internal constant BRIDGE = IPegoutBridge(0xB17C000000000000000000000000000000000002);

    event Relayed(bytes32 indexed id, address indexed payer, string btcAddress, uint256 value);

    /// Burns msg.value through the bridge for a payout to `btcAddress`; reverts with the bridge's reason.
    function pegOut(string calldata btcAddress) external payable returns (bytes32 id) {
        id = BRIDGE.withdraw{value: msg.value}(btcAddress);
        emit Relayed(id, msg.sender, btcAddress, msg.value);
    }

    /// Two withdrawals in one call: `firstValue` wei to `first`, the rest of msg.value to `second`.
    function pegOutTwice(string calldata first, uint256 firstValue, string calldata second)
        external
        payable
        returns (bytes32 firstId, bytes32 secondId)
    {
        firstId = BRIDGE.withdraw{value: firstValue}(first);
        secondId = BRIDGE.withdraw{value: msg.value - firstValue}(second);
        emit Relayed(firstId, msg.sender, first, firstValue);
        emit Relayed(secondId, msg.sender, second, msg.value - firstValue);
    }
}
