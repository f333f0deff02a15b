// Polls until something is true, or fails the test saying what it waited for. For effects that arrive on their
// own (a server push, a reconnect, a file another process wrote); never a fixed sleep.
import assert from 'node:assert/strict';

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
