'use client';

import { useEffect, useRef, type RefObject } from 'react';

type TOptions = {
  ids: string[];
  selectedId: string | null;
  select: (id: string) => void;
  open: (id: string) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** The attribute that carries a row's id, to scroll the selected row into view. */
  rowAttribute?: string;
};

const isTyping = (el: Element | null) => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;

/** `/` search · `j`/`k` move · `Enter` open · `Escape` leave an input. */
export function useListKeys(options: TOptions) {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const { ids, selectedId, select, open, searchRef, rowAttribute = 'data-message-id' } = latest.current;
      const active = document.activeElement;
      if (isTyping(active)) {
        if (event.key === 'Escape') (active as HTMLElement).blur();
        return;
      }
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (event.key === 'j' || event.key === 'k') {
        if (ids.length === 0) return;
        const index = selectedId ? ids.indexOf(selectedId) : -1;
        const next = index < 0 ? 0 : Math.min(ids.length - 1, Math.max(0, index + (event.key === 'j' ? 1 : -1)));
        select(ids[next]!);
        document.querySelector(`tr[${rowAttribute}="${ids[next]}"]`)?.scrollIntoView({ block: 'nearest' });
        return;
      }
      // Enter on a focused link or button belongs to that control.
      if (event.key === 'Enter' && selectedId && ids.includes(selectedId) && !(active instanceof HTMLAnchorElement || active instanceof HTMLButtonElement)) {
        event.preventDefault();
        open(selectedId);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
