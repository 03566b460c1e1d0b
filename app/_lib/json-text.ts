// JSON as text an operator edits: where it is broken (line and column, the same in every
// browser, where JSON.parse's messages differ), and pretty-printing that keeps every
// number and string exactly as typed (JSON.parse would round 12345678901234567890).

export type TJsonProblem = { line: number; column: number; offset: number; message: string };

class JsonSyntax extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function scan(text: string): void {
  let i = 0;
  const ws = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const unexpected = (what: string) =>
    i >= text.length ? new JsonSyntax(i, `Unexpected end of text; expected ${what}`) : new JsonSyntax(i, `Unexpected ${JSON.stringify(text[i])}; expected ${what}`);

  const string = () => {
    const start = i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') throw new JsonSyntax(i, c === '\n' ? 'Line break inside a string (write \\n)' : 'Control character inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new JsonSyntax(i, 'Invalid \\u escape (needs 4 hex digits)');
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) throw new JsonSyntax(i, `Invalid escape ${JSON.stringify(`\\${e ?? ''}`)}`);
        i += 2;
        continue;
      }
      i++;
    }
    throw new JsonSyntax(start, 'Unterminated string');
  };

  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw text[i] === '}' ? new JsonSyntax(i, 'Trailing comma before }') : unexpected('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') throw unexpected('":" after the property name');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw unexpected('"," or "}" after a property value');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']') throw new JsonSyntax(i, 'Trailing comma before ]');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw unexpected('"," or "]" after an array item');
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) throw new JsonSyntax(i, 'Invalid number');
      i += m[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") throw new JsonSyntax(i, 'Strings need double quotes');
    throw unexpected('a value');
  };

  value();
  ws();
  if (i < text.length) throw new JsonSyntax(i, `Unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  const line = (before.match(/\r\n|\n|\r/g) ?? []).length + 1;
  return { line, column: Array.from(before.slice(lineStart)).length + 1 };
}

/** null when the text is JSON; otherwise where and why it is not. */
export function findJsonProblem(text: string): TJsonProblem | null {
  try {
    JSON.parse(text);
    return null;
  } catch (nativeError) {
    try {
      scan(text);
    } catch (error) {
      if (error instanceof JsonSyntax) return { ...position(text, error.offset), offset: error.offset, message: error.message };
    }
    // The scanner found nothing (or ran out of stack on deep nesting): the browser's words.
    return { line: 1, column: 1, offset: 0, message: (nativeError as Error).message };
  }
}

export function describeJsonProblem(p: TJsonProblem): string {
  return `Invalid JSON at line ${p.line}, column ${p.column}: ${p.message}`;
}

/** Re-indents valid JSON, copying every string and number exactly as written. */
export function formatJsonText(text: string, indent = 2): string {
  let out = '';
  let depth = 0;
  const pad = () => `\n${' '.repeat(depth * indent)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (WS.has(c)) continue;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (j < text.length && WS.has(text[j]!)) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c === '{' ? '{}' : '[]';
        i = j;
      } else {
        depth++;
        out += c + pad();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += pad() + c;
    } else if (c === ',') out += `,${pad()}`;
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
}
