import type { Deps } from '../deps.ts';
import type { RealtimeHub } from './realtime-hub.ts';

/** The hub of one app instance, keyed by its Deps so several apps in one process (tests) stay apart. */
const hubs = new WeakMap<Deps, RealtimeHub>();

export function registerRealtimeHub(deps: Deps, hub: RealtimeHub): void {
  hubs.set(deps, hub);
}

export function unregisterRealtimeHub(deps: Deps): void {
  hubs.delete(deps);
}

/** The hub serving this app, or undefined when the process does not run the realtime role. */
export function findRealtimeHub(deps: Deps): RealtimeHub | undefined {
  return hubs.get(deps);
}
