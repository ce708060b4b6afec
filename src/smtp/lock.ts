/**
 * A first-come, first-served lock for async work: SMTP is a sequential protocol, so two
 * commands on one connection must not interleave.
 *
 * @internal
 * @module
 */

/** Runs the functions given to {@link Lock.run} one at a time, in call order. */
export class Lock {
  #held = false;
  /** The callers waiting for the lock, first come first. */
  readonly #queue: Array<() => void> = [];

  /**
   * Runs `work` once every earlier call has finished; resolves or rejects as `work` does.
   * A free lock is taken at once (no promise, no turn of the microtask queue); a held one
   * passes straight to the next caller in line when released.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#held) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#held = true;
    try {
      return await work();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#held = false;
    }
  }
}
