'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False in the server HTML, true once React runs in the browser. Controls that only work
 * with JavaScript stay disabled until then, so nothing typed before hydration is lost.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}
