import { useMemo } from 'react';
import { formatCount } from '../_lib/format';
import { HEX_DUMP_LIMIT, hexDump } from '../_lib/hex-dump';

export function HexDumpView({ bytes }: { bytes: Uint8Array }) {
  const dump = useMemo(() => hexDump(bytes), [bytes]);
  return (
    <div className="space-y-1">
      {bytes.length > HEX_DUMP_LIMIT && (
        <p className="text-xs text-muted">
          Showing the first {formatCount(HEX_DUMP_LIMIT)} of {formatCount(bytes.length)} bytes as hex. Download the body for the rest.
        </p>
      )}
      <pre className="body-pre whitespace-pre! break-normal!">{dump || '(empty body)'}</pre>
    </div>
  );
}
