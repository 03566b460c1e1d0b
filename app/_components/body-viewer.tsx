'use client';

import { useMemo } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { bodyBytes } from '../_lib/body-bytes';
import { viewBody } from '../_lib/body-view';
import { formatBytes, formatCount } from '../_lib/format';
import { useGunzip } from '../_lib/use-gunzip';
import { BodyViewSwitch } from './body-view-switch';
import { Note } from './note';

type TProps = { message: TMessageDetail };

const isGzip = (encoding: string | null) => ['gzip', 'x-gzip'].includes((encoding ?? '').trim().toLowerCase());

export function BodyViewer({ message }: TProps) {
  const { body, contentType, contentEncoding, truncated, size, id } = message;
  const bytes = useMemo(() => bodyBytes(body), [body]);
  const gzip = useGunzip(isGzip(contentEncoding) ? bytes : null);
  const inflated = gzip?.status === 'done' ? gzip.bytes : null;
  const shown = inflated ?? bytes;
  const isCut = truncated || (gzip?.status === 'done' && gzip.incomplete !== null);
  const view = useMemo(
    () => viewBody(shown, contentType, inflated ? null : body.encoding === 'utf8' ? body.data : null, isCut),
    [shown, inflated, contentType, body, isCut],
  );
  const download = `/api/v1/messages/${encodeURIComponent(id)}/body`;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted">
        <span className="font-mono">{contentType ?? 'no content type'}</span>
        {contentEncoding && <span className="font-mono">encoding: {contentEncoding}</span>}
        <span>{formatBytes(size)} ({formatCount(size)} bytes)</span>
        <a href={download} download className="btn h-7 text-xs text-fg">Download body</a>
      </div>
      {truncated && (
        <Note tone="warn">
          Only the first {formatCount(bytes.length)} of {formatCount(size)} bytes are shown.{' '}
          <a href={download} download className="font-medium underline">Download the whole body</a>.
        </Note>
      )}
      {gzip?.status === 'pending' && <Note>Decompressing gzip…</Note>}
      {gzip?.status === 'done' && (
        <Note>
          Decompressed from gzip: {formatCount(bytes.length)} → {formatCount(gzip.bytes.length)} bytes.
          {gzip.incomplete && ` Incomplete: ${gzip.incomplete}.`}
        </Note>
      )}
      {gzip?.status === 'failed' && <Note tone="warn">Could not decompress gzip ({gzip.error}); showing the stored bytes.</Note>}
      {gzip?.status !== 'pending' && <BodyViewSwitch key={inflated ? 'inflated' : 'raw'} view={view} bytes={shown} />}
    </div>
  );
}
