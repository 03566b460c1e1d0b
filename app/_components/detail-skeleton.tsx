const bar = 'h-3 animate-pulse rounded bg-sunken';

/** The shape of the detail page while it loads. */
export function DetailSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading message" className="space-y-3">
      <div className="rounded-md border border-line bg-panel p-3">
        <div className={`${bar} h-4 w-72`} />
        <div className="mt-4 grid grid-cols-4 gap-4">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="space-y-1.5">
              <div className={`${bar} w-20`} />
              <div className={`${bar} w-40`} />
            </div>
          ))}
        </div>
      </div>
      {['Body', 'Properties', 'Headers'].map((s) => (
        <div key={s} className="rounded-md border border-line bg-panel p-3">
          <div className={`${bar} w-24`} />
          <div className={`${bar} mt-3 h-24 w-full`} />
        </div>
      ))}
    </div>
  );
}
