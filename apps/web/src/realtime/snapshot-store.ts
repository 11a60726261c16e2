/**
 * A value that changes over time and the React components that watch it (through
 * `useSyncExternalStore(store.subscribe, store.getSnapshot)`). Each change makes a new snapshot.
 */
export class SnapshotStore<S extends object> {
  private readonly watchers = new Set<() => void>();

  constructor(protected snap: S) {}

  getSnapshot = (): S => this.snap;

  subscribe = (fn: () => void): (() => void) => {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  };

  protected set(patch: Partial<S>): void {
    this.snap = { ...this.snap, ...patch };
    for (const fn of this.watchers) fn();
  }
}
