// The colour theme lives in a cookie so the server can render the right class on <html>
// (no inline script, no flash). `system` lets CSS follow prefers-color-scheme.

export const THEMES = ['light', 'dark', 'system'] as const;
export type TTheme = (typeof THEMES)[number];
export const THEME_COOKIE = 'theme';

export function parseTheme(value: string | undefined): TTheme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as TTheme) : 'system';
}

/** Applies a theme to the open document and remembers it for a year. */
export function applyTheme(theme: TTheme) {
  const root = document.documentElement;
  root.classList.remove(...THEMES);
  root.classList.add(theme);
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
}
