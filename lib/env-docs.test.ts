import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseEnv, ZEnv } from './env';

// Every setting the processes read is documented where operators look for it: the
// configuration reference and the example .env that `npm run up` copies.

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const names = Object.keys(ZEnv.shape);

it('documents every variable in docs/configuration.md', () => {
  const doc = read('docs/configuration.md');
  expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
});

it('lists every variable in .env.example, and nothing the console does not read', () => {
  const example = read('.env.example');
  const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
  const known = new Set([...names, 'PORT', 'HOST']);
  expect(listed.filter((name) => !known.has(name))).toEqual([]);
  expect(names.filter((name) => !listed.includes(name))).toEqual([]);
});

it('accepts .env.example as it is', () => {
  const example = read('.env.example');
  const values = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  expect(() => parseEnv({ ...values, NEXTAUTH_SECRET: 'x'.repeat(32) })).not.toThrow();
});
