// Polling for a condition in integration tests: every wait is bounded and names what it waited for.

/**
 * Polls `probe` every `intervalMs` until it returns something other than undefined or false, and
 * resolves with that; rejects after `timeoutMs` with `timed out waiting for <what>`.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
