'use client';

import { useState } from 'react';
import { applyTheme, THEMES, type TTheme } from '../_lib/theme';

const LABELS: Record<TTheme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

export function ThemeToggle({ initial }: { initial: TTheme }) {
  const [theme, setTheme] = useState(initial);
  return (
    <div role="group" aria-label="Theme" className="flex shrink-0 overflow-hidden rounded border border-line text-xs">
      {THEMES.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={theme === option}
          onClick={() => {
            applyTheme(option);
            setTheme(option);
          }}
          className={`cursor-pointer px-2 py-1 ${theme === option ? 'bg-sunken font-medium text-fg' : 'text-muted hover:text-fg'}`}
        >
          {LABELS[option]}
        </button>
      ))}
    </div>
  );
}
