/**
 * Load for the fault tests and the soak: `concurrency` loops, each sending its next request as soon
 * as the last one was answered (or, given `perSecond`, at the next free slot of a shared schedule),
 * every answer kept. Closed loops: a platform that slows down receives fewer requests, as from
 * real clients who wait for their answer.
 */
export interface LoadOptions {
  concurrency: number;
  /** Requests per second over all loops; unlimited when absent. */
  perSecond?: number;
}

export interface Load<T> {
  /** The answers so far, in the order they came. */
  readonly answers: T[];
  /** Lets each loop finish its request in flight, then resolves with every answer. */
  stop(): Promise<T[]>;
}

export function startLoad<T>(options: LoadOptions, send: () => Promise<T>): Load<T> {
  const answers: T[] = [];
  const interval = options.perSecond ? 1000 / options.perSecond : 0;
  let nextSlot = performance.now();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      if (interval) {
        const slot = nextSlot;
        nextSlot = Math.max(nextSlot + interval, performance.now()); // a late loop does not bank slots
        if (slot > performance.now()) await new Promise((resolve) => setTimeout(resolve, slot - performance.now()));
        if (stopped) break;
      }
      answers.push(await send());
    }
  };
  const loops = Promise.all(Array.from({ length: options.concurrency }, loop));
  return {
    answers,
    async stop() {
      stopped = true;
      await loops;
      return answers;
    },
  };
}
