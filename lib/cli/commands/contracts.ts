import { readFileSync } from 'node:fs';
import { listContracts } from '../../contracts/list-contracts';
import { removeContract } from '../../contracts/remove-contract';
import { setContract } from '../../contracts/set-contract';
import { CLI_ACTOR, defineCommand, UsageError } from '../command';
import { formatDate, formatTable } from '../print-table';

/** Read and parsed before anything connects: a missing file or bad JSON changes nothing. */
function readSchemaFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UsageError(`${path} must hold a JSON Schema object`);
  return schema as Record<string, unknown>;
}

export const CONTRACT_COMMANDS = [
  defineCommand({
    name: 'contracts set',
    args: '<origin-queue> <schema-file|->',
    summary: 'set the JSON Schema that replays to this queue must match (draft-07, or 2020-12 by $schema)',
    flags: [],
    positionals: { min: 2, max: 2 },
    parse: ({ positionals }) => ({ origin: positionals[0]!, schema: readSchemaFile(positionals[1]!) }),
    async run(args) {
      const contract = await setContract({ actor: CLI_ACTOR, ...args });
      console.log(`Set the contract of ${contract.origin}`);
    },
  }),
  defineCommand({
    name: 'contracts remove',
    args: '<origin-queue>',
    summary: 'remove a queue\'s contract: replays to it are no longer checked',
    flags: [],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals }) => ({ origin: positionals[0]! }),
    async run({ origin }) {
      await removeContract({ actor: CLI_ACTOR, origin });
      console.log(`Removed the contract of ${origin}`);
    },
  }),
  defineCommand({
    name: 'contracts list',
    args: '',
    summary: 'list origin queues with a contract',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const contracts = await listContracts({ actor: CLI_ACTOR });
      if (contracts.length === 0) return console.log('No contracts. Set one with: npm run cli -- contracts set <origin-queue> <schema-file>');
      console.log(formatTable(
        ['ORIGIN', 'DIALECT', 'UPDATED', 'BY'],
        contracts.map((c) => [c.origin, typeof c.schema.$schema === 'string' ? c.schema.$schema : 'draft-07 (default)', formatDate(c.updatedAt), c.updatedBy]),
      ));
    },
  }),
];
