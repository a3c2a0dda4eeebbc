// hash-wasm's keccak module on its own (the package types only its main entry).
declare module "hash-wasm/dist/keccak.umd.min.js" {
  const keccakWasm: unknown;
  export default keccakWasm;
}
