import { createSandbox } from '../../sandboxes/create-sandbox';
import { deleteSandbox } from '../../sandboxes/delete-sandbox';
import { listSandboxes } from '../../sandboxes/list-sandboxes';
import { CLI_ACTOR, defineCommand } from '../command';
import { formatDate, formatTable } from '../print-table';
import { readStdin } from '../read-stdin';

export const SANDBOX_COMMANDS = [
  defineCommand({
    name: 'sandboxes add',
    args: '<name> <amqp-url|->',
    summary: 'add a sandbox broker for trial replays; "-" reads the URL (and its password) from standard input',
    flags: [],
    positionals: { min: 2, max: 2 },
    parse: ({ positionals }) => ({ name: positionals[0]!, url: positionals[1]! }),
    async run(args) {
      // "-" keeps the broker password out of shell history and the process list.
      const url = args.url === '-' ? await readStdin() : args.url;
      const sandbox = await createSandbox({ actor: CLI_ACTOR, name: args.name, url });
      console.log(`Added sandbox ${sandbox.name}: ${sandbox.url}`);
    },
  }),
  defineCommand({
    name: 'sandboxes remove',
    args: '<name>',
    summary: 'delete a sandbox',
    flags: [],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals }) => ({ name: positionals[0]! }),
    async run({ name }) {
      const sandbox = await deleteSandbox({ actor: CLI_ACTOR, sandbox: { name } });
      console.log(`Removed sandbox ${sandbox.name}`);
    },
  }),
  defineCommand({
    name: 'sandboxes list',
    args: '',
    summary: 'list sandboxes (URLs with the password as ***)',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const sandboxes = await listSandboxes({ actor: CLI_ACTOR });
      if (sandboxes.length === 0) return console.log('No sandboxes. Add one with: npm run cli -- sandboxes add <name> <amqp-url>');
      console.log(formatTable(['NAME', 'URL', 'CREATED'], sandboxes.map((s) => [s.name, s.url, formatDate(s.createdAt)])));
    },
  }),
];
