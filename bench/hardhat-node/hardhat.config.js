// Minimal Hardhat 3 project so that `hardhat node` can start (the bench needs no
// contracts or plugins; the defaults give the standard test mnemonic accounts).
export default {};
