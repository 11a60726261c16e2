import type { Logger } from 'pino';

/**
 * What happened in the domain, told to whoever subscribed (the hub, reports, recordings…). The
 * emitter does not know its subscribers: this port replaces direct calls between features and
 * the live layer. Each feature declares its own events by augmenting this interface from its
 * folder (see features/sessions/sessions-events.ts):
 *
 *   declare module '../../platform/events.js' {
 *     interface DomainEvents { 'recording.finished': { sessionId: string; recordingId: string } }
 *   }
 *
 * Events are in-process: each is emitted once, on the instance where the change was made (the
 * hub relays live changes to other instances itself), so a subscriber reacts exactly once.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}
export type DomainEventName = keyof DomainEvents;
export type DomainEventHandler<K extends DomainEventName> = (event: DomainEvents[K]) => void | Promise<void>;

export interface EventPort {
  /** Subscribes; returns the unsubscribe function. */
  on<K extends DomainEventName>(name: K, handler: DomainEventHandler<K>): () => void;
  /**
   * Calls every handler synchronously, in subscription order (so live state is updated before the
   * HTTP answer leaves); a handler's failure is logged and never reaches the emitter. The promise
   * settles when asynchronous handlers are done (tests and shutdown may wait for it).
   */
  emit<K extends DomainEventName>(name: K, event: DomainEvents[K]): Promise<void>;
  /**
   * Like `emit`, but a handler's failure rejects (after every handler ran): for events a change
   * must not outlive, e.g. `session.deleting`, whose handlers delete files before the rows go.
   */
  emitStrict<K extends DomainEventName>(name: K, event: DomainEvents[K]): Promise<void>;
  /** Waits for asynchronous handlers still running (shutdown). */
  idle(): Promise<void>;
}

export function createEventPort(log: Pick<Logger, 'error'>): EventPort {
  const handlers = new Map<DomainEventName, Set<DomainEventHandler<never>>>();
  const running = new Set<Promise<void>>();
  const failed = (name: string, err: unknown) =>
    log.error({ err, event: name }, `event handler for ${name} failed`);
  return {
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as DomainEventHandler<never>);
      return () => set.delete(handler as DomainEventHandler<never>);
    },
    emit(name, event) {
      const pending: Promise<void>[] = [];
      for (const h of handlers.get(name) ?? []) {
        try {
          const r = (h as DomainEventHandler<typeof name>)(event);
          if (r && typeof r.then === 'function') {
            const p = Promise.resolve(r).catch((e) => failed(name, e));
            running.add(p);
            void p.finally(() => running.delete(p));
            pending.push(p);
          }
        } catch (e) {
          failed(name, e);
        }
      }
      return Promise.all(pending).then(() => undefined);
    },
    async emitStrict(name, event) {
      const results = await Promise.allSettled(
        [...(handlers.get(name) ?? [])].map(async (h) => (h as DomainEventHandler<typeof name>)(event)),
      );
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
