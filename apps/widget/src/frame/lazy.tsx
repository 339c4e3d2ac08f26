import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Loads a screen's chunk on first use; the home screen is all the first paint needs. */
export function useLazyComponent<P>(load: () => Promise<ComponentType<P>>, enabled: boolean): ComponentType<P> | null {
  const [component, setComponent] = useState<ComponentType<P> | null>(null);
  useEffect(() => {
    if (!enabled || component) return;
    let alive = true;
    load().then((c) => {
      if (alive) setComponent(() => c);
    });
    return () => {
      alive = false;
    };
  }, [enabled, component, load]);
  return component;
}
