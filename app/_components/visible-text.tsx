import { splitInvisible } from './invisible-chars';

/**
 * Text from a message, with every direction override and zero-width character shown as a
 * boxed code point (⟨U+202E⟩) instead of acting on the text around it. React renders the
 * rest as a text node, never as markup.
 */
export function VisibleText({ text }: { text: string }) {
  const parts = splitInvisible(text);
  if (parts.length === 1 && parts[0]!.kind === 'text') return <>{text}</>;
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          p.text
        ) : (
          <abbr
            key={i}
            data-invisible={p.marker}
            title={`${p.name} (${p.marker}): an invisible character in the original, shown here so it cannot change how the text reads`}
            className="mx-px inline-block rounded-sm border border-amber-500/70 break-normal whitespace-nowrap bg-amber-100 px-0.5 font-mono text-[10.5px] text-amber-900 no-underline dark:bg-amber-500/15 dark:text-amber-200"
          >
            {p.marker}
          </abbr>
        ),
      )}
    </>
  );
}
