/**
 * Hands the JavaScript heap's garbage back to the system after a burst of work: a full collection,
 * when the process runs with `--expose-gc` (as `npm start` and the service run the daemon).
 *
 * Why: start-up and each speech-grammar build allocate tens of MB that are garbage a moment later
 * (the sentence templates compiled, the grammar's unmerged automaton). V8 grows its old space for
 * them and collects it only when later allocation pushes it to its next limit, which an idle
 * daemon never does, so the empty heap stayed in its RSS (npm run bench -- memory). One full
 * collection at those moments, which are rare, costs tens of milliseconds and leaves the heap at
 * what is live.
 *
 * Returns whether a collection ran: without the flag it does nothing (`hearth` run by hand).
 */
export function releaseGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return false;
  gc();
  return true;
}
