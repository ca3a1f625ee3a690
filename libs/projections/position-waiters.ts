/** Callers waiting for the projections to reach a log position, answered as `reached()` moves. */
export class PositionWaiters {
  private readonly waiters = new Set<() => void>();

  constructor(private readonly reached: () => number) {}

  /** Call when `reached()` may have moved. */
  notify(): void {
    this.waiters.forEach((check) => check());
  }

  /** True once `reached()` is at `position` or beyond; false after `timeoutMs`. */
  wait(position: number, timeoutMs: number): Promise<boolean> {
    if (this.reached() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (reached: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(reached);
      };
      const check = (): void => {
        if (this.reached() >= position) settle(true);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiters.add(check);
    });
  }
}
