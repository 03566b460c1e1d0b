'use client';

import { useRouter } from 'next/navigation';
import { useDeferredValue, useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TEditableHeaders, TMessageDetail, TRevision } from '@/lib/messages/message-dto';
import { isJsonContentType } from '../_lib/body-bytes';
import { formatBytes, formatCount } from '../_lib/format';
import { describeJsonProblem, findJsonProblem, formatJsonText, type TJsonProblem } from '../_lib/json-text';
import { shortActor } from '../_lib/timeline-sentence';
import { useMessageAction } from '../_lib/use-message-action';
import { messagePath, useMessage } from '../_lib/use-messages';
import { useRevision } from '../_lib/use-timeline';
import { REASON_MAX } from './action-dialog';
import { ActionError } from './action-error';
import { CodeEditor } from './code-editor';
import { DetailSection } from './detail-section';
import { DiffView } from './diff-view';
import { Note } from './note';
import { latestRevision } from './revision-select';
import { findInvisible } from './invisible-chars';

type TEditBody = { version: number; body: { encoding: 'utf8' | 'base64'; data: string }; headers: TEditableHeaders; reason?: string };

const revisionName = (n: number) => (n === 0 ? 'the original' : `revision #${n}`);
const headersText = (headers: TEditableHeaders) => JSON.stringify(headers, null, 2);

/** A textarea hands back LF whatever it was given: edit in LF, save in the line endings the body had. */
function lineEndingsOf(text: string): 'crlf' | 'lf' | 'mixed' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const other = (text.match(/\r(?!\n)|(?<!\r)\n/g) ?? []).length;
  return crlf === 0 ? (/\r/.test(text) ? 'mixed' : 'lf') : other === 0 ? 'crlf' : 'mixed';
}

function headersProblem(text: string): { problem: TJsonProblem | null; notObject: boolean } {
  const problem = findJsonProblem(text);
  if (problem) return { problem, notObject: false };
  const value: unknown = JSON.parse(text);
  return { problem: null, notObject: typeof value !== 'object' || value === null || Array.isArray(value) };
}

/** One line under an editor's label: the problem, in red and announced, or what is fine. */
/** A text box shows direction overrides and zero-width characters as nothing (or reorders text around them): say where they are. */
function InvisibleNote({ what, text }: { what: string; text: string }) {
  const deferred = useDeferredValue(text);
  const { found, total } = useMemo(() => findInvisible(deferred), [deferred]);
  if (total === 0) return null;
  return (
    <Note tone="warn">
      The {what} holds {formatCount(total)} invisible or direction-changing {total === 1 ? 'character' : 'characters'} that the editor does not show:{' '}
      {found.map((f, i) => (
        <span key={i}>
          {i > 0 && ', '}
          <span className="font-mono">{f.marker}</span> {f.name.toLowerCase()} at line {f.line}, column {f.column}
        </span>
      ))}
      {total > found.length && ', …'}. They are kept as they are unless you delete them.
    </Note>
  );
}

function EditorStatus({ id, problem, children }: { id: string; problem: string | null; children: ReactNode }) {
  return (
    <p id={id} role={problem ? 'alert' : undefined} className={`text-xs ${problem ? 'font-medium text-red-800 dark:text-red-300' : 'text-muted'}`}>
      {problem ?? children}
    </p>
  );
}

export function EditMessageForm({ message, base }: { message: TMessageDetail; base: TRevision }) {
  const id = useId();
  const router = useRouter();
  const live = useMessage(message.id);
  const detail = `/messages/${encodeURIComponent(message.id)}`;
  const download = messagePath(message.id, '/body');

  const isText = base.body.encoding === 'utf8';
  const bodyEditable = isText && !base.truncated;
  const canSave = !base.truncated; // a body must be sent whole, even when only the headers change
  const eol = isText ? lineEndingsOf(base.body.data) : 'lf';
  const isJson = isJsonContentType(message.contentType) && !message.contentEncoding;

  const [body, setBody] = useState(() => (isText ? base.body.data.replace(/\r\n?/g, '\n') : ''));
  const [headers, setHeaders] = useState(() => headersText(base.headers));
  const [reason, setReason] = useState('');
  const [version, setVersion] = useState(message.version);
  const [revisions, setRevisions] = useState(message.revisions);
  const [compareWith, setCompareWith] = useState(base.number);
  const compare = useRevision(message.id, compareWith);
  const action = useMessageAction<TEditBody>(message.id, 'revisions');
  const [isReloading, setReloading] = useState(false);

  const savedBody = eol === 'crlf' ? body.replace(/\n/g, '\r\n') : body;
  const bodyProblem = useMemo(() => (bodyEditable && isJson ? findJsonProblem(body) : null), [bodyEditable, isJson, body]);
  const headerCheck = useMemo(() => headersProblem(headers), [headers]);
  const headersInvalid = headerCheck.problem !== null || headerCheck.notObject;
  const unchanged = useMemo(() => {
    if (headersInvalid) return false;
    const sameHeaders = JSON.stringify(JSON.parse(headers)) === JSON.stringify(base.headers);
    return sameHeaders && (!bodyEditable || savedBody === base.body.data);
  }, [headers, headersInvalid, base, bodyEditable, savedBody]);

  const blocked = !canSave
    ? 'The body is too large to edit in the browser.'
    : bodyProblem
      ? 'Fix the body first: it is not valid JSON.'
      : headersInvalid
        ? 'Fix the headers first: they must be a JSON object.'
        : unchanged
          ? `No changes yet: the body and headers are those of ${revisionName(base.number)}.`
          : null;

  // Diffs follow typing without holding up the keystroke.
  const deferredBody = useDeferredValue(savedBody);
  const deferredHeaders = useDeferredValue(headers);

  function save() {
    if (blocked || action.isPending) return;
    const trimmed = reason.trim();
    action.submit(
      {
        version,
        body: bodyEditable ? { encoding: 'utf8', data: savedBody } : { encoding: base.body.encoding, data: base.body.data },
        headers: JSON.parse(headers) as TEditableHeaders,
        reason: trimmed === '' ? undefined : trimmed,
      },
      { onSuccess: () => router.push(detail) },
    );
  }

  async function reload() {
    setReloading(true);
    try {
      const result = await live.refetch();
      if (result.data) {
        setVersion(result.data.version);
        setRevisions(result.data.revisions);
        // What a save would now change is shown against the newest revision.
        setCompareWith(latestRevision(result.data.revisions));
      }
      action.reset();
    } finally {
      setReloading(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
    }
  }

  const compareBody = compare.data ? (compare.data.body.encoding === 'utf8' && !compare.data.truncated ? compare.data.body.data : null) : null;
  const compareName = compareWith === 0 ? 'Original' : `Revision #${compareWith}`;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={onKeyDown}
      aria-labelledby={`${id}-title`}
      className="space-y-3"
    >
      <header className="rounded-md border border-line bg-panel p-3">
        <h1 id={`${id}-title`} className="text-base font-semibold">
          Edit message <span className="font-mono">#{message.id}</span>
        </h1>
        <p className="mt-1 text-[13px] text-muted">
          Starting from {revisionName(base.number)}
          {base.author && base.number > 0 && <> by {shortActor(base.author)}</>}. Saving adds revision #{latestRevision(revisions) + 1}; the bytes that
          arrived never change. Content type <span className="font-mono text-fg">{message.contentType ?? 'none'}</span>
          {message.contentEncoding && <> (encoding <span className="font-mono text-fg">{message.contentEncoding}</span>)</>}.
        </p>
      </header>

      {base.truncated && (
        <Note tone="warn">
          This body is {formatBytes(base.size)} ({formatCount(base.size)} bytes), too large to edit in the browser: only the first part was sent to it.{' '}
          <a href={download} download className="font-medium underline">Download the body</a> and save a revision through the API instead.
        </Note>
      )}
      {!isText && !base.truncated && (
        <Note tone="warn">
          The body is binary (not UTF-8 text{message.contentEncoding ? `; encoded ${message.contentEncoding}` : ''}), so it cannot be edited here.{' '}
          <a href={download} download className="font-medium underline">Download the body</a>. You can still edit the headers: the body is kept byte for byte.
        </Note>
      )}
      {eol === 'crlf' && bodyEditable && <Note>The body uses CRLF line endings; they are kept when you save.</Note>}
      {eol === 'mixed' && bodyEditable && <Note tone="warn">The body mixes line endings; saving turns them all into LF.</Note>}
      {bodyEditable && <InvisibleNote what="body" text={body} />}
      <InvisibleNote what="headers" text={headers} />

      <div className="grid gap-3 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 space-y-1">
          {bodyEditable ? (
            <CodeEditor
              id={`${id}-body`}
              label="Body"
              value={body}
              onChange={setBody}
              invalid={bodyProblem !== null}
              markLine={bodyProblem?.line}
              describedBy={`${id}-body-status ${id}-keys`}
              status={
                <EditorStatus id={`${id}-body-status`} problem={bodyProblem && describeJsonProblem(bodyProblem)}>
                  {isJson ? 'Valid JSON · ' : ''}
                  {formatCount(new TextEncoder().encode(savedBody).length)} bytes
                </EditorStatus>
              }
              toolbar={
                isJson && (
                  <button type="button" className="btn h-7 text-xs" disabled={bodyProblem !== null} onClick={() => setBody(formatJsonText(body))}>
                    Format body
                  </button>
                )
              }
            />
          ) : (
            <p className="rounded border border-line bg-sunken px-3 py-6 text-center text-sm text-muted">The body is not editable here.</p>
          )}
        </div>
        <div className="min-w-0 space-y-1">
          <CodeEditor
            id={`${id}-headers`}
            label="Headers"
            value={headers}
            onChange={setHeaders}
            invalid={headersInvalid}
            markLine={headerCheck.problem?.line}
            describedBy={`${id}-headers-status ${id}-headers-help`}
            status={
              <EditorStatus
                id={`${id}-headers-status`}
                problem={headerCheck.problem ? describeJsonProblem(headerCheck.problem) : headerCheck.notObject ? 'Headers must be a JSON object: { "name": value, … }' : null}
              >
                {Object.keys(headersInvalid ? {} : (JSON.parse(headers) as object)).length} headers
              </EditorStatus>
            }
            toolbar={
              <button type="button" className="btn h-7 text-xs" disabled={headersInvalid} onClick={() => setHeaders(formatJsonText(headers))}>
                Format headers
              </button>
            }
          />

          <p id={`${id}-headers-help`} className="text-xs text-muted">
            Plain JSON values; types JSON cannot say are written <code className="font-mono">{'{ "!": "timestamp", "value": <seconds> }'}</code>,{' '}
            <code className="font-mono">{'"!": "decimal"'}</code> or <code className="font-mono">{'"!": "bytes"'}</code> (base64). Death headers
            (x-death, x-first-death-*) are not sent on a publish.
          </p>
        </div>
      </div>

      <DetailSection
        id={`${id}-changes`}
        title="Changes"
        aside={
          <span className="inline-flex items-center gap-2">
            <label htmlFor={`${id}-compare`}>Compare with</label>
            <select id={`${id}-compare`} value={compareWith} onChange={(e) => setCompareWith(Number(e.target.value))} className="field h-7 text-xs">
              <option value={0}>Original</option>
              {[...revisions].sort((a, b) => b.number - a.number).map((r) => (
                <option key={r.number} value={r.number}>#{r.number} by {shortActor(r.author)}{r.number === base.number ? ' (where this edit started)' : ''}</option>
              ))}
            </select>
          </span>
        }
      >
        {compare.isPending && <p className="text-sm text-muted">Loading {revisionName(compareWith)}…</p>}
        {compare.isError && <p role="alert" className="text-sm text-red-800 dark:text-red-300">Could not load {revisionName(compareWith)}.</p>}
        {compare.data && (
          <div className="space-y-4">
            {bodyEditable && compareBody !== null ? (
              <DiffView label="Body" before={compareBody} after={deferredBody} beforeName={compareName} afterName="Your edit" />
            ) : (
              <p className="text-xs text-muted">Body: not compared ({compare.data.truncated ? 'too large' : 'binary'}).</p>
            )}
            <DiffView
              label="Headers"
              before={headersText(compare.data.headers)}
              after={headersInvalid ? deferredHeaders : headersText(JSON.parse(deferredHeaders) as TEditableHeaders)}
              beforeName={compareName}
              afterName="Your edit"
            />
          </div>
        )}
      </DetailSection>

      <div className="sticky bottom-0 z-10 space-y-2 rounded-md border border-line bg-panel p-3 shadow-[0_-4px_12px_-8px_rgb(0_0_0/0.3)]">
        {action.isError && <ActionError error={action.error} onReload={() => void reload()} isReloading={isReloading} />}
        {action.isError && (
          <p className="text-xs text-muted">Reload keeps your text and compares it with the newest revision, so you see what a save would now change.</p>
        )}
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-64 flex-1 flex-col gap-1">
            <label htmlFor={`${id}-reason`} className="text-xs font-medium text-muted">Reason</label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={1}
              maxLength={REASON_MAX}
              placeholder="Why: the fix, the ticket"
              className="min-h-8 rounded border border-line bg-panel px-2 py-1 text-sm placeholder:text-muted/70"
            />
          </div>
          <div className="flex items-center gap-2">
            <button type="button" className="btn" onClick={() => router.push(detail)}>Cancel</button>
            <button type="submit" className="btn border-accent bg-accent text-white hover:opacity-90 dark:text-canvas" disabled={blocked !== null || action.isPending} aria-describedby={`${id}-blocked`}>
              Save revision
              {action.isPending && <span aria-hidden className="ml-1 inline-block size-3 rounded-full border-2 border-current border-t-transparent motion-safe:animate-spin" />}
            </button>
          </div>
        </div>
        <p id={`${id}-keys`} className="text-[11px] text-muted">
          <span id={`${id}-blocked`} className={blocked ? 'font-medium text-fg' : ''}>{blocked ?? 'Ready to save.'}</span>{' '}
          Tab inserts two spaces (Esc then Tab leaves the editor) · Ctrl/⌘+Enter saves.
        </p>
      </div>
    </form>
  );
}
