'use client';

import { useState } from 'react';
import type { TBodyMode, TBodyView } from '../_lib/body-view';
import { HexDumpView } from './hex-dump-view';
import { JsonView } from './json-view';
import { VisibleText } from './visible-text';

const LABELS: Record<TBodyMode, string> = { json: 'JSON', text: 'Text', hex: 'Hex' };

/** The body as pretty JSON, plain text or hex; the best one first, the others a click away. */
export function BodyViewSwitch({ view, bytes }: { view: TBodyView; bytes: Uint8Array }) {
  const [picked, setPicked] = useState<TBodyMode | null>(null);
  const mode = picked && view.modes.includes(picked) ? picked : view.modes[0]!;
  return (
    <div className="space-y-2">
      <div role="group" aria-label="Show body as" className="inline-flex overflow-hidden rounded border border-line text-xs">
        {view.modes.map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={m === mode}
            onClick={() => setPicked(m)}
            className={`cursor-pointer px-2 py-0.5 ${m === mode ? 'bg-sunken font-medium text-fg' : 'text-muted hover:text-fg'}`}
          >
            {LABELS[m]}
          </button>
        ))}
      </div>
      {view.text === null && <p className="text-xs text-muted">Binary body (not UTF-8 text), shown as hex.</p>}
      {view.jsonProblem && <p className="text-xs text-amber-800 dark:text-amber-300">{view.jsonProblem}</p>}
      {mode === 'json' && view.json.ok && view.text !== null && <JsonView text={view.text} />}
      {mode === 'text' && <pre className="body-pre">{view.text === '' ? <span className="text-muted italic">(empty body)</span> : <VisibleText text={view.text ?? ''} />}</pre>}
      {mode === 'hex' && <HexDumpView bytes={bytes} />}
    </div>
  );
}
