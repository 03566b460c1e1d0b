import { z } from 'zod';

// RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over RFC 6901 JSON Pointers,
// for edits applied to many message bodies at once. Written here rather than taken from a
// package: it is small, and its errors must name the operation and the path an operator
// wrote. The document given is never changed; the patched copy is returned.

type TJson = null | boolean | number | string | TJson[] | { [key: string]: TJson };

const ZPointer = z.string().max(1000).refine((p) => p === '' || p.startsWith('/'), 'must be a JSON Pointer: empty, or starting with "/"');

export const ZJsonPatch = z
  .array(
    z.discriminatedUnion('op', [
      z.object({ op: z.literal('add'), path: ZPointer, value: z.unknown() }).strict(),
      z.object({ op: z.literal('remove'), path: ZPointer }).strict(),
      z.object({ op: z.literal('replace'), path: ZPointer, value: z.unknown() }).strict(),
      z.object({ op: z.literal('move'), from: ZPointer, path: ZPointer }).strict(),
      z.object({ op: z.literal('copy'), from: ZPointer, path: ZPointer }).strict(),
      z.object({ op: z.literal('test'), path: ZPointer, value: z.unknown() }).strict(),
    ], { error: 'each operation needs "op": add, remove, replace, move, copy or test' }),
  )
  .min(1, 'must hold at least one operation')
  .max(100, 'must hold at most 100 operations')
  .refine((ops) => ops.every((o) => !('value' in o) || o.value !== undefined), 'add, replace and test need a "value"');
export type TJsonPatch = z.output<typeof ZJsonPatch>;

export class JsonPatchError extends Error {
  constructor(readonly index: number, message: string) {
    super(`operation ${index + 1}: ${message}`);
    this.name = 'JsonPatchError';
  }
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isObject = (v: unknown): v is { [key: string]: TJson } => typeof v === 'object' && v !== null && !Array.isArray(v);

function arrayIndex(array: TJson[], token: string, forAdd: boolean, fail: (m: string) => never): number {
  if (token === '-' && forAdd) return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) fail(`index ${index} is out of bounds (length ${array.length})`);
  return index;
}

function get(doc: TJson, tokens: string[], fail: (m: string) => never): TJson {
  let node = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false, fail)]!;
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token]!;
    else fail(`path does not exist`);
  }
  return node;
}

/** The container of the last token, which must exist. */
function parentOf(doc: TJson, tokens: string[], fail: (m: string) => never): { parent: TJson; key: string } {
  const parent = get(doc, tokens.slice(0, -1), fail);
  if (!Array.isArray(parent) && !isObject(parent)) fail('the parent of the path is not an object or an array');
  return { parent, key: tokens[tokens.length - 1]! };
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setKey(object: { [key: string]: TJson }, key: string, value: TJson) {
  // defineProperty: a key named "__proto__" is data here, never the prototype.
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export function applyJsonPatch(document: unknown, patch: TJsonPatch): unknown {
  let doc = clone(document) as TJson;

  patch.forEach((op, index) => {
    const fail = (message: string): never => {
      throw new JsonPatchError(index, `${op.op} ${JSON.stringify(op.path)}: ${message}`);
    };
    const add = (tokens: string[], value: TJson) => {
      if (tokens.length === 0) {
        doc = value;
        return;
      }
      const { parent, key } = parentOf(doc, tokens, fail);
      if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, fail), 0, value);
      else setKey(parent as { [key: string]: TJson }, key, value);
    };
    const remove = (tokens: string[]): TJson => {
      if (tokens.length === 0) fail('cannot remove the whole document');
      const { parent, key } = parentOf(doc, tokens, fail);
      if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, fail), 1)[0]!;
      const object = parent as { [key: string]: TJson };
      if (!Object.hasOwn(object, key)) fail('path does not exist');
      const value = object[key]!;
      delete object[key];
      return value;
    };

    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        add(path, clone(op.value) as TJson);
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        get(doc, path, fail);
        if (path.length === 0) doc = clone(op.value) as TJson;
        else {
          // In place: an object keeps its key order, an array its length.
          const { parent, key } = parentOf(doc, path, fail);
          if (Array.isArray(parent)) parent[arrayIndex(parent, key, false, fail)] = clone(op.value) as TJson;
          else setKey(parent as { [key: string]: TJson }, key, clone(op.value) as TJson);
        }
        break;
      case 'move': {
        if (op.path !== op.from && op.path.startsWith(`${op.from}/`)) fail(`cannot move ${JSON.stringify(op.from)} into itself`);
        const from = parsePointer(op.from);
        get(doc, from, fail);
        if (op.path === op.from) break;
        add(path, remove(from));
        break;
      }
      case 'copy':
        add(path, clone(get(doc, parsePointer(op.from), fail)));
        break;
      case 'test':
        if (!equal(get(doc, path, fail), op.value)) fail(`the value is not ${JSON.stringify(op.value)}`);
        break;
    }
  });
  return doc;
}
