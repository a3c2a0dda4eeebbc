// Whether ink can draw live frames here. Under CI (as ink decides, with is-in-ci) it draws only the last frame,
// so a live dashboard or a picker would show nothing until it ends.
import isInCi from "is-in-ci";

/** stdout is a terminal that ink redraws: the dashboard may run. */
export function canDrawLive(): boolean {
  return process.stdout.isTTY === true && !isInCi;
}

/** stdin and stdout are a terminal that ink redraws: a picker may ask. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true && canDrawLive();
}
