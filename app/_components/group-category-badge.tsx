import type { TCategory } from '@/lib/groups/categories';

const STYLES: Record<TCategory, string> = {
  transient: 'bg-amber-100 text-amber-900 ring-amber-200 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-500/30',
  persistent: 'bg-red-100 text-red-800 ring-red-200 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/30',
  unknown: 'bg-zinc-100 text-zinc-700 ring-zinc-200 dark:bg-zinc-500/15 dark:text-zinc-300 dark:ring-zinc-500/30',
};

export function GroupCategoryBadge({ category }: { category: TCategory }) {
  return <span className={`inline-block rounded px-1.5 py-px text-xs font-medium ring-1 ring-inset whitespace-nowrap ${STYLES[category] ?? STYLES.unknown}`}>{category}</span>;
}

/** The category, and its suggested action on hover or when opened (a disclosure, so the keyboard reaches it too). */
export function GroupCategory({ category, suggestedAction }: { category: TCategory; suggestedAction: string }) {
  return (
    <details className="group/category" title={suggestedAction}>
      <summary className="cursor-pointer list-none [&::-webkit-details-marker]:hidden" aria-label={`Category ${category}: show the suggested action`}>
        <GroupCategoryBadge category={category} />
      </summary>
      <p className="mt-1 max-w-64 text-xs text-muted">{suggestedAction}</p>
    </details>
  );
}
