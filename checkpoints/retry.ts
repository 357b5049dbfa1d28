/** How a statement that failed with a transient fault is sent again. */
export interface RetryPolicy {
  attempts: number;
  /** Before the first retry; doubled before each further one. */
  delayMs: number;
  /** Whether a failure may pass on a second try (a connection lost, a server restarting). */
  isTransient: (err: unknown) => boolean;
}

/**
 * Runs `send` until it succeeds, a failure is not transient, or the policy's
 * retries are spent. Only for statements that are safe to repeat: one whose
 * connection died before its answer arrived may have been applied.
 */
export async function retrying<T>(policy: RetryPolicy | undefined, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!policy || attempt >= policy.attempts || !policy.isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, policy.delayMs * 2 ** attempt));
    }
  }
}
