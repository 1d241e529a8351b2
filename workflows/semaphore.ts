// A FIFO semaphore for workflow code: waiters are served in arrival order and the limit is never
// exceeded (unlike `condition(() => active < max)`, which wakes every waiter at once and overshoots).

export class Semaphore {
  #available: number;
  readonly #waiters: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`semaphore limit must be a positive integer, got ${limit}`);
    this.#available = limit;
  }

  acquire(): Promise<void> {
    if (this.#available > 0) {
      this.#available--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the slot straight to the oldest waiter, so no newcomer can jump the queue. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#available++;
  }

  async with<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
