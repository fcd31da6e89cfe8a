// One receiver's events (a script, the mail), delivered one at a time in the
// order they happened: a receiver still busy with one event makes the next
// wait for it, never skips it. The wait is bounded: past QUEUE_LIMIT waiting
// events the oldest is dropped (and the caller says so), so a script that
// hangs at every event costs memory for 64 of them, not for a month's.

export const QUEUE_LIMIT = 64;

export class EventQueue<T> {
  private readonly waiting: T[] = [];
  private busy = false;

  // `deliver` must not reject (the sink logs what goes wrong); `idle` is
  // told when the last waiting item has been delivered.
  constructor(
    private readonly deliver: (item: T) => Promise<void>,
    private readonly dropped: (item: T) => void,
    private readonly idle: () => void,
  ) {}

  push(item: T): void {
    if (this.waiting.length >= QUEUE_LIMIT) this.dropped(this.waiting.shift() as T);
    this.waiting.push(item);
    this.next();
  }

  // Forgets what waits; the one being delivered goes on.
  clear(): void {
    this.waiting.length = 0;
  }

  // Waiting, and the one being delivered.
  get size(): number {
    return this.waiting.length + (this.busy ? 1 : 0);
  }

  private next(): void {
    if (this.busy) return;
    const item = this.waiting.shift();
    if (item === undefined) {
      this.idle();
      return;
    }
    this.busy = true;
    const done = () => {
      this.busy = false;
      this.next();
    };
    this.deliver(item).then(done, done);
  }
}
