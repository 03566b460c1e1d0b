import { parseArgs } from 'node:util';
import { pendingMigrations } from '../db/migrate';
import { disconnectPrisma } from '../db/prisma';
import { env } from '../env';
import { loadDotEnv } from '../load-dot-env';
import { AppError } from '../errors';
import { toParseArgsOptions, UsageError, type TCommand, type TCommandInput } from './command';
import { AUDIT_COMMANDS } from './commands/audit';
import { CONTRACT_COMMANDS } from './commands/contracts';
import { SANDBOX_COMMANDS } from './commands/sandboxes';
import { SETTINGS_COMMANDS } from './commands/settings';
import { REDACTION_COMMANDS } from './commands/redaction';
import { SOURCE_COMMANDS } from './commands/sources';
import { TEAM_COMMANDS } from './commands/teams';
import { TOKEN_COMMANDS } from './commands/tokens';
import { USER_COMMANDS } from './commands/users';
import { redactUrl } from './redact-url';

// `npm run cli -- <command>`: the operator's tool on a host that can reach the database.
// Exit codes: 0 done; 1 the action failed (the message says why); 2 bad usage or bad
// environment. Arguments are checked before anything connects, so a failure changes nothing.

const COMMANDS: TCommand[] = [
  ...USER_COMMANDS, ...TOKEN_COMMANDS, ...SOURCE_COMMANDS, ...TEAM_COMMANDS, ...SANDBOX_COMMANDS, ...CONTRACT_COMMANDS, ...REDACTION_COMMANDS, ...AUDIT_COMMANDS, ...SETTINGS_COMMANDS,
];
const RUN = 'npm run cli --';

function usage(): string {
  const lines = COMMANDS.map((c) => [`${c.name} ${c.args}`.trim(), c.summary] as const);
  lines.push(['help', 'show this text (also: <command> --help)']);
  const width = Math.max(...lines.map(([l]) => l.length));
  return [
    `Usage: ${RUN} <command> [arguments]`,
    '',
    ...lines.map(([l, summary]) => `  ${l.padEnd(width)}  ${summary}`),
    '',
    'Connects to DATABASE_URL. Exit codes: 0 done, 1 failed, 2 bad usage or environment.',
  ].join('\n');
}

function commandUsage(command: TCommand): string {
  return `Usage: ${RUN} ${command.name} ${command.args}`.trimEnd();
}

function findCommand([group, verb]: string[]): TCommand {
  const command = COMMANDS.find((c) => c.name === `${group} ${verb}`);
  if (command) return command;
  const verbs = COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.split(' ')[1]);
  if (verbs.length === 0) throw new UsageError(`unknown command ${JSON.stringify(group)}`);
  if (verb === undefined || verb.startsWith('-')) throw new UsageError(`"${group}" needs one of: ${verbs.join(', ')}`);
  throw new UsageError(`unknown command "${group} ${verb}"; "${group}" takes one of: ${verbs.join(', ')}`);
}

function parseCommandArgs(command: TCommand, args: string[]): { help: boolean; input: TCommandInput } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: toParseArgsOptions(command.flags, command.switches, command.repeatable), strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    // Node's messages name the flag; its advice about `--` is noise here.
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name) && !command.repeatable?.includes(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  const { positionals, values } = parsed;
  const help = values.help === true;
  const { min, max } = command.positionals;
  if (!help && positionals.length < min) throw new UsageError(`missing ${command.args.split(' ')[0]}`);
  if (positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`);
  const flags = Object.fromEntries(command.flags.map((f) => [f, values[f] as string | undefined]));
  const switches = Object.fromEntries((command.switches ?? []).map((s) => [s, values[s] === true]));
  const lists = Object.fromEntries((command.repeatable ?? []).map((f) => [f, (values[f] as string[] | undefined) ?? []]));
  return { help, input: { flags, positionals, switches, lists } };
}

async function requireMigratedDatabase(databaseUrl: string) {
  const pending = await pendingMigrations(databaseUrl).catch((error: Error) => {
    const hint = /does not exist/.test(error.message) ? '; "npm run db:migrate" creates it' : '';
    throw new AppError('UNAVAILABLE', `cannot reach the database at ${redactUrl(databaseUrl)} (DATABASE_URL): ${error.message}${hint}`);
  });
  if (pending.length > 0) {
    throw new AppError('UNAVAILABLE', `the database is missing ${pending.length} migration(s); run "npm run db:migrate" first`);
  }
}

async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
    console.log(usage());
    return 0;
  }
  let command: TCommand | undefined;
  let args: unknown;
  try {
    command = findCommand(argv);
    const { help, input } = parseCommandArgs(command, argv.slice(2));
    if (help) {
      console.log(`${commandUsage(command)}\n\n  ${command.summary}`);
      return 0;
    }
    args = command.parse(input);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(command ? `error: ${command.name}: ${error.message}` : `error: ${error.message}`);
    console.error(command ? `${commandUsage(command)}  (all commands: ${RUN} help)` : `Run "${RUN} help" for usage.`);
    return 2;
  }

  let databaseUrl: string;
  try {
    loadDotEnv();
    databaseUrl = env().DATABASE_URL;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`); // names the variable
    return 2;
  }
  try {
    await requireMigratedDatabase(databaseUrl);
    await command.run(args);
    return 0;
  } catch (error) {
    // AppError messages are written for the operator; anything else is unexpected.
    console.error(error instanceof AppError ? `error: ${error.message}` : `error: unexpected failure: ${(error as Error).message}`);
    return 1;
  } finally {
    await disconnectPrisma();
  }
}

process.exitCode = await runCli(process.argv.slice(2));
