import { formatJsonPath } from './json-path';
import type { PathMatcher, TLiveSet } from './path-matcher';

// Masks the values at the matched paths inside JSON text, in place: every byte that is not
// a masked value stays as it was (formatting, key order, duplicate keys, number spelling),
// so a viewer sees the body as it arrived minus the secrets. A hand-written scanner with an
// explicit stack instead of JSON.parse + JSON.stringify: no recursion to overflow on a
// hostile body nested a million deep, no re-serialisation that would change the text.

export const REDACTED = '[redacted]';
const MASK = JSON.stringify(REDACTED);
/** How many masked locations a result lists by path; `count` has them all. */
export const MAX_LISTED_PATHS = 100;
const MAX_LISTED_DEPTH = 32;

export type TJsonRedaction = { text: string; paths: string[]; count: number };

type TFrame = { isObject: boolean; live: TLiveSet; step: string | number; maskFrom: number };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SPECIAL = /[\u0000-\u001f\\]/;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class NotJson extends Error {}

/** The masked text, or null when `text` is not one valid JSON document. */
export function redactJsonText(text: string, matcher: PathMatcher): TJsonRedaction | null {
  try {
    return scan(text, matcher);
  } catch (error) {
    if (error instanceof NotJson) return null;
    throw error;
  }
}

function scan(text: string, matcher: PathMatcher): TJsonRedaction {
  const n = text.length;
  let i = 0;
  const fail = (): never => {
    throw new NotJson();
  };
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  };
  const scanString = () => {
    if (text.charCodeAt(i) !== 34) fail();
    i++;
    // Jump quote to quote with native searches: most of a body's bytes are inside strings.
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) fail();
      const special = SPECIAL.exec(text.slice(i, quote));
      if (!special) return void (i = quote + 1);
      i += special.index;
      if (text.charCodeAt(i) !== 92) fail(); // a raw control character
      const e = text[i + 1];
      if (e === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) fail();
        i += 6;
      } else if (e !== undefined && ESCAPES.has(e)) i += 2;
      else fail();
    }
  };
  const scanPrimitive = () => {
    const c = text[i];
    if (c === '"') return scanString();
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : null;
    if (word) {
      if (!text.startsWith(word, i)) fail();
      return void (i += word.length);
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };

  const spans: [number, number][] = [];
  const paths: string[] = [];
  const stack: TFrame[] = [];
  const noteMatch = () => {
    if (paths.length >= MAX_LISTED_PATHS) return;
    // A path hundreds of levels deep is listed by its end, not as a megabyte of steps.
    const deep = stack.length > MAX_LISTED_DEPTH;
    const steps = stack.slice(deep ? -8 : 0).map((f) => f.step);
    paths.push(deep ? `$…${formatJsonPath(steps).slice(1)}` : formatJsonPath(steps));
  };

  let live = matcher.root();
  skipSpace();
  for (;;) {
    // A value starts here; `live` holds the rule positions that reached it.
    skipSpace();
    const start = i;
    const masked = live.length > 0 && matcher.matches(live);
    if (masked) noteMatch();
    const c = text[i];
    let closed = false;
    if (c === '{' || c === '[') {
      // Below a masked value nothing more is matched: it goes whole.
      stack.push({ isObject: c === '{', live: masked ? [] : live, step: 0, maskFrom: masked ? start : -1 });
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        closed = true;
      } else if (c === '{') {
        live = readKey(stack[stack.length - 1]!);
        continue;
      } else {
        live = matcher.child(stack[stack.length - 1]!.live, 0);
        continue;
      }
    } else {
      if (c === undefined) fail();
      scanPrimitive();
      if (masked) spans.push([start, i]);
    }
    // After a value: close containers, or move to the next member.
    for (;;) {
      if (closed) {
        const frame = stack.pop()!;
        if (frame.maskFrom >= 0) spans.push([frame.maskFrom, i]);
        closed = false;
      }
      skipSpace();
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (i !== n) fail();
        return splice(text, spans, paths);
      }
      const next = text[i];
      if (next === ',') {
        i++;
        if (frame.isObject) live = readKey(frame);
        else {
          frame.step = (frame.step as number) + 1;
          live = matcher.child(frame.live, frame.step);
        }
        break;
      }
      if (next !== (frame.isObject ? '}' : ']')) fail();
      i++;
      closed = true;
    }
  }

  function readKey(frame: TFrame): TLiveSet {
    skipSpace();
    const from = i;
    scanString();
    const raw = text.slice(from + 1, i - 1);
    frame.step = raw.includes('\\') ? (JSON.parse(text.slice(from, i)) as string) : raw;
    skipSpace();
    if (text[i] !== ':') fail();
    i++;
    return matcher.child(frame.live, frame.step);
  }
}

function splice(text: string, spans: [number, number][], paths: string[]): TJsonRedaction {
  if (spans.length === 0) return { text, paths, count: 0 };
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(from, start), MASK);
    from = end;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), paths, count: spans.length };
}
