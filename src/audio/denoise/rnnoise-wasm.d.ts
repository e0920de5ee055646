/**
 * @jitsi/rnnoise-wasm ships no types. Its synchronous build (the WebAssembly inline, rnnoise 0.2)
 * exports one factory of the Emscripten module; rnnoise-denoiser.ts names what it uses of it.
 */
declare module "@jitsi/rnnoise-wasm/dist/rnnoise-sync.js" {
  const createRNNWasmModuleSync: () => unknown;
  export default createRNNWasmModuleSync;
}
