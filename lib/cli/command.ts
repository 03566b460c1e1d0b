import { hostname, userInfo } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import type { TActor } from '../actor';

// What every CLI command declares, so main.ts can parse, validate and print usage for
// all of them the same way before anything touches the database.

// The audit record names the OS account that ran the command, not just "the CLI".
export const CLI_ACTOR: TActor = { kind: 'system', name: 'cli', by: `${userInfo().username}@${hostname()}` };

export type TCommandInput = {
  flags: Record<string, string | undefined>;
  positionals: string[];
  switches?: Record<string, boolean>;
  /** The values of each repeatable flag, in order; [] when not given. */
  lists?: Record<string, string[]>;
};

export type TCommand<TArgs = unknown> = {
  /** The words that select it: `tokens create`. */
  name: string;
  /** Its arguments as shown in the usage text. */
  args: string;
  summary: string;
  /** Every flag it accepts; all take a value. */
  flags: readonly string[];
  /** Flags that take no value (`--json`): true when given. */
  switches?: readonly string[];
  /** Flags that take a value and may be given several times (`--team a --team b`). */
  repeatable?: readonly string[];
  positionals: { min: number; max: number };
  /** Checks the arguments; throws UsageError. Runs before anything connects. */
  parse(input: TCommandInput): TArgs;
  run(args: TArgs): Promise<void>;
};

export function defineCommand<TArgs>(command: TCommand<TArgs>): TCommand {
  return command as TCommand;
}

/** Bad invocation: nothing was attempted. Exit code 2. */
export class UsageError extends Error {
  name = 'UsageError';
}

export function toParseArgsOptions(flags: readonly string[], switches: readonly string[] = [], repeatable: readonly string[] = []): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries([
    ...flags.map((f) => [f, { type: 'string' as const }]),
    ...repeatable.map((f) => [f, { type: 'string' as const, multiple: true }]),
    ...switches.map((s) => [s, { type: 'boolean' as const }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);
}

export function requireFlag(input: TCommandInput, flag: string): string {
  const value = input.flags[flag];
  if (value === undefined) throw new UsageError(`missing required flag --${flag}`);
  return value;
}

export function positiveIntFlag(input: TCommandInput, flag: string): number | undefined {
  const value = input.flags[flag];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
