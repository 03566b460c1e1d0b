'use client';

import { useEffect, useState } from 'react';

// Gzip bodies are inflated in the browser (the server keeps the exact bytes). A bomb is
// stopped at MAX_OUTPUT; a cut stream (truncated body) keeps what inflated before the cut.

const MAX_OUTPUT = 8 * 1024 * 1024;

export type TGunzip =
  | { status: 'pending' }
  | { status: 'failed'; error: string }
  | { status: 'done'; bytes: Uint8Array<ArrayBuffer>; incomplete: string | null };

async function gunzip(input: Uint8Array<ArrayBuffer>): Promise<TGunzip> {
  if (typeof DecompressionStream === 'undefined') return { status: 'failed', error: 'this browser has no DecompressionStream' };
  const reader = new Blob([input]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let incomplete: string | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total > MAX_OUTPUT) {
        incomplete = `stopped after ${MAX_OUTPUT / 1024 / 1024} MB of output`;
        await reader.cancel();
        break;
      }
    }
  } catch (error) {
    incomplete = (error as Error).message || 'the gzip stream is damaged or cut short';
  }
  if (total === 0 && incomplete) return { status: 'failed', error: incomplete };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, Math.max(0, total - offset)), offset);
    offset += chunk.length;
  }
  return { status: 'done', bytes, incomplete };
}

export function useGunzip(input: Uint8Array<ArrayBuffer> | null): TGunzip | null {
  const [result, setResult] = useState<{ input: Uint8Array; value: TGunzip } | null>(null);
  useEffect(() => {
    if (!input) return;
    let cancelled = false;
    void gunzip(input).then((value) => {
      if (!cancelled) setResult({ input, value });
    });
    return () => {
      cancelled = true;
    };
  }, [input]);
  if (!input) return null;
  return result?.input === input ? result.value : { status: 'pending' };
}
