// Splits pretty-printed JSON into typed tokens so the viewer can colour them with
// React <span>s: text stays text, there is no HTML string anywhere to inject into.

export type TJsonTokenKind = 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punct' | 'space';
export type TJsonToken = { kind: TJsonTokenKind; text: string };

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false)|(null)|([{}[\],:])|(\s+)/gy;

export function tokenizeJson(text: string): TJsonToken[] {
  const tokens: TJsonToken[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = TOKEN.exec(text)) !== null) {
    last = TOKEN.lastIndex;
    const [, str, colon, num, bool, nul, punct, space] = match;
    if (str !== undefined) {
      tokens.push({ kind: colon ? 'key' : 'string', text: str });
      if (colon) tokens.push({ kind: 'punct', text: colon });
    } else if (num !== undefined) tokens.push({ kind: 'number', text: num });
    else if (bool !== undefined) tokens.push({ kind: 'boolean', text: bool });
    else if (nul !== undefined) tokens.push({ kind: 'null', text: nul });
    else if (punct !== undefined) tokens.push({ kind: 'punct', text: punct });
    else if (space !== undefined) tokens.push({ kind: 'space', text: space });
  }
  // Not JSON after all (should not happen for JSON.stringify output): keep the rest as plain text.
  if (last < text.length) tokens.push({ kind: 'punct', text: text.slice(last) });
  return tokens;
}
