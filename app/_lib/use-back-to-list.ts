'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useSyncExternalStore } from 'react';
import { LAST_LIST_URL_KEY } from './use-url-filters';

const subscribe = () => () => {};

function readLastListUrl(): string {
  const last = sessionStorage.getItem(LAST_LIST_URL_KEY);
  return last?.startsWith('/messages') ? last : '/messages';
}

/** Where "← Messages" and Escape lead: the list as the operator left it (filters included). */
export function useBackToList(): string {
  const router = useRouter();
  const href = useSyncExternalStore(subscribe, readLastListUrl, () => '/messages');

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const active = document.activeElement;
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || active instanceof HTMLSelectElement) {
        active.blur();
        return;
      }
      router.push(href);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [href, router]);

  return href;
}
