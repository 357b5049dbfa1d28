/**
 * Sleeps that end early when woken: a run that ends in this process wakes
 * the runs waiting for their turn at once, instead of at their next poll.
 */
export class Waiters {
  private readonly waiting = new Set<() => void>();

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  wake(): void {
    for (const waiter of [...this.waiting]) waiter();
  }
}
