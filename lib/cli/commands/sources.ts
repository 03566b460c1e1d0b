import { addSources } from '../../sources/add-sources';
import { listSources } from '../../sources/list-sources';
import { removeSource } from '../../sources/remove-source';
import { CLI_ACTOR, type TCommand } from '../command';
import { formatDate, formatTable, truncate } from '../print-table';

export const SOURCE_COMMANDS: TCommand[] = [
  {
    name: 'sources add',
    args: '<queue> [<queue>...]',
    summary: 'consume these dead-letter queues (a running worker picks them up)',
    flags: [],
    positionals: { min: 1, max: Infinity },
    async run({ positionals }) {
      const added = await addSources({ actor: CLI_ACTOR, queues: positionals });
      const already = [...new Set(positionals.map((q) => q.trim()))].filter((q) => !added.includes(q));
      if (added.length) console.log(`Added ${added.length} source(s): ${added.join(', ')}`);
      if (already.length) console.log(`Already sources, unchanged: ${already.join(', ')}`);
    },
  },
  {
    name: 'sources remove',
    args: '<queue> [--reason TEXT]',
    summary: 'stop consuming a queue; its stored messages stay',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    async run({ flags, positionals: [queue] }) {
      await removeSource({ actor: CLI_ACTOR, queue: queue!, reason: flags.reason });
      console.log(`Removed source ${queue}`);
    },
  },
  {
    name: 'sources list',
    args: '',
    summary: 'list sources with stored and unresolved message counts',
    flags: [],
    positionals: { min: 0, max: 0 },
    async run() {
      const sources = await listSources({ actor: CLI_ACTOR });
      if (sources.length === 0) return console.log('No sources. Add one with: npm run cli -- sources add <queue>');
      console.log(formatTable(
        ['QUEUE', 'STORED', 'UNRESOLVED', 'LAST INGESTED', 'LAST ERROR'],
        sources.map((s) => [
          s.queue, String(s.stored), String(s.unresolved), formatDate(s.lastIngestedAt),
          s.lastError ? `${formatDate(s.lastErrorAt)} ${truncate(s.lastError, 80)}` : '-',
        ]),
      ));
    },
  },
];
