/**
 * A first-come, first-served lock for async work: SMTP is a sequential protocol, so two
 * commands on one connection must not interleave.
 *
 * @internal
 * @module
 */

/** Runs the functions given to {@link Lock.run} one at a time, in call order. */
export class Lock {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier call has finished; resolves or rejects as `work` does. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => {};
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
