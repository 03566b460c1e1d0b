'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useHydrated } from '../_lib/use-hydrated';
import { useSetContract } from '../_lib/use-contracts';
import { FormError } from './form-error';
import { FormField } from './form-field';

type TProps = {
  /** A contract to edit: its origin and schema fill the form (the caller remounts it for each Edit). */
  initial: { origin: string; schema: Record<string, unknown> } | null;
  onDone: (message: string) => void;
};

const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';
const EXAMPLE = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["orderId"],
  "properties": { "orderId": { "type": "string" } }
}`;

/** Parsed here so a typo is pointed out at once; the server compiles it and says what is wrong with the schema. */
function parseSchema(text: string): { schema: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `The JSON Schema is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The JSON Schema must be an object: { "type": … }' };
  return { schema: value as Record<string, unknown> };
}

export function ContractForm({ initial, onDone }: TProps) {
  const id = useId();
  const hydrated = useHydrated();
  const save = useSetContract();
  const originRef = useRef<HTMLInputElement>(null);
  const [origin, setOrigin] = useState(initial?.origin ?? '');
  const [text, setText] = useState(initial ? JSON.stringify(initial.schema, null, 2) : '');
  const [problem, setProblem] = useState<string | null>(null);

  // Opened by Edit: start on its first field.
  useEffect(() => {
    if (initial) originRef.current?.focus();
  }, [initial]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseSchema(text);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    save.mutate({ origin, schema: parsed.schema }, {
      onSuccess: ({ contract }) => {
        setOrigin('');
        setText('');
        onDone(`Saved the contract of ${contract.origin}.`);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Set a contract</h2>
      <p className="mt-0.5 text-xs text-muted">
        Saving a contract for a queue that already has one replaces it. JSON Schema draft-07, or 2020-12 when <code className="font-mono">$schema</code> says so.
      </p>
      <fieldset disabled={!hydrated || save.isPending} className="mt-2.5 space-y-2">
        <FormField id={`${id}-origin`} label="Origin queue" value={origin} onChange={setOrigin} required mono inputRef={originRef} placeholder="orders" className="max-w-md" />
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-schema`} className="text-xs font-medium text-muted">JSON Schema<span aria-hidden className="ml-0.5">*</span></label>
          <textarea
            id={`${id}-schema`}
            value={text}
            required
            rows={12}
            spellCheck={false}
            placeholder={EXAMPLE}
            onChange={(e) => setText(e.target.value)}
            className="w-full rounded border border-line bg-panel p-2 font-mono text-[12.5px] leading-5 text-fg placeholder:text-muted/70"
          />
        </div>
      </fieldset>
      <div className="mt-3 flex items-center gap-2">
        <button type="submit" disabled={!hydrated || save.isPending} aria-busy={save.isPending} className={primary}>Save contract</button>
        {save.isPending && <span className="text-xs text-muted">Checking and saving…</span>}
      </div>
      {(problem || save.isError) && <div className="mt-2"><FormError error={problem ? new Error(problem) : save.error} /></div>}
    </form>
  );
}
