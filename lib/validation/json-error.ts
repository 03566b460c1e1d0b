// Where a JSON text first goes wrong, as a line and column an operator can find in an
// editor. JSON.parse says why but not always where (V8 omits the position for some
// errors), so a small iterative scanner finds the offset. Importable from the browser.

export type TJsonError = { message: string; line: number; column: number; offset: number };

const WS = new Set([' ', '\t', '\n', '\r']);

/** The offset of the first character that makes `text` invalid JSON, or -1 if it is valid. */
function errorOffset(text: string): number {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const skip = () => { while (i < text.length && WS.has(text[i]!)) i++; };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return true; }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i += 2; return false; }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else { i++; return false; }
      } else i++;
    }
    return false;
  };
  const scalar = (): boolean => {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) { i += word.length; return true; }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0) { i += m[0].length; return true; }
    return string();
  };
  // Expect a value; containers push and the loop below closes them.
  let expectValue = true;
  for (;;) {
    skip();
    if (expectValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skip();
        if (text[i] === (c === '{' ? '}' : ']')) { stack.pop(); i++; expectValue = false; continue; }
        if (c === '{') {
          if (!string()) return i;
          skip();
          if (text[i] !== ':') return i;
          i++;
        }
        continue;
      }
      if (!scalar()) return i;
      expectValue = false;
      continue;
    }
    const top = stack.at(-1);
    if (!top) return i < text.length ? i : -1;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === '{') {
        skip();
        if (!string()) return i;
        skip();
        if (text[i] !== ':') return i;
        i++;
      }
      expectValue = true;
    } else if (c === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

export function findJsonError(text: string): TJsonError | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const offset = Math.max(0, Math.min(text.length, errorOffset(text)));
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = (error as Error).message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/, ".*" is not valid JSON$/s, '');
    return { message: `${reason} at line ${line}, column ${column}`, line, column, offset };
  }
}
