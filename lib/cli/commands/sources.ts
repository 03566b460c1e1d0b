import { addSources } from '../../sources/add-sources';
import { listSources } from '../../sources/list-sources';
import { removeSource } from '../../sources/remove-source';
import { setSourceProtected } from '../../sources/set-source-protected';
import { CLI_ACTOR, defineCommand } from '../command';
import { formatDate, formatTable, truncate } from '../print-table';

export const SOURCE_COMMANDS = [
  defineCommand({
    name: 'sources add',
    args: '<queue> [<queue>...]',
    summary: 'consume these dead-letter queues (a running worker picks them up)',
    flags: [],
    positionals: { min: 1, max: Infinity },
    parse: ({ positionals }) => ({ queues: positionals }),
    async run({ queues }) {
      const added = await addSources({ actor: CLI_ACTOR, queues });
      const unchanged = [...new Set(queues.map((q) => q.trim()))].filter((q) => !added.includes(q));
      if (added.length) console.log(`Added ${added.length} source(s): ${added.join(', ')}`);
      if (unchanged.length) console.log(`Already sources, unchanged: ${unchanged.join(', ')}`);
    },
  }),
  defineCommand({
    name: 'sources remove',
    args: '<queue> [--reason TEXT]',
    summary: 'stop consuming a queue; its stored messages stay',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => ({ queue: positionals[0]!, reason: flags.reason }),
    async run(args) {
      await removeSource({ actor: CLI_ACTOR, ...args });
      console.log(`Removed source ${args.queue}`);
    },
  }),
  defineCommand({
    name: 'sources list',
    args: '',
    summary: 'list sources with stored and unresolved message counts',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const sources = await listSources({ actor: CLI_ACTOR });
      if (sources.length === 0) return console.log('No sources. Add one with: npm run cli -- sources add <queue>');
      console.log(formatTable(
        ['QUEUE', 'WAITING', 'CONSUMERS', 'STORED', 'UNRESOLVED', 'LAST INGESTED', 'LAST ERROR', 'PROTECTED'],
        sources.map((s) => [
          s.queue,
          s.broker.state === 'ok' ? String(s.broker.messages) : s.broker.state,
          s.broker.state === 'ok' ? String(s.broker.consumers) : '-',
          String(s.stored), String(s.unresolved), formatDate(s.lastIngestedAt),
          s.lastError ? `${formatDate(s.lastErrorAt)} ${truncate(s.lastError, 80)}` : '-',
          s.protected ? 'yes' : 'no',
        ]),
      ));
    },
  }),
  ...([true, false] as const).map((isProtected) =>
    defineCommand({
      name: isProtected ? 'sources protect' : 'sources unprotect',
      args: '<queue>',
      summary: isProtected
        ? 'make replays, redirects and discards of a source\'s messages wait for a second person\'s approval'
        : 'let a source\'s messages be acted on without a second person again',
      flags: [],
      positionals: { min: 1, max: 1 },
      parse: ({ positionals }) => ({ queue: positionals[0]! }),
      async run({ queue }) {
        await setSourceProtected({ actor: CLI_ACTOR, queue, protected: isProtected });
        console.log(`Source ${queue} is ${isProtected ? 'protected' : 'not protected'}`);
      },
    }),
  ),
];
