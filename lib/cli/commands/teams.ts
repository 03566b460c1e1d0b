import { createTeam } from '../../teams/create-team';
import { deleteTeam } from '../../teams/delete-team';
import { listTeams } from '../../teams/list-teams';
import { describeTeamDestination } from '../../teams/team-dto';
import { CLI_ACTOR, defineCommand, UsageError } from '../command';
import { formatDate, formatTable } from '../print-table';

export const TEAM_COMMANDS = [
  defineCommand({
    name: 'teams add',
    args: '<name> (--queue Q | --exchange E --routing-key K) [--contact C]',
    summary: 'add a team that redirects send to: a queue, or an exchange with a routing key',
    flags: ['queue', 'exchange', 'routing-key', 'contact'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => {
      const { queue, exchange, contact } = flags;
      const routingKey = flags['routing-key'];
      if (queue !== undefined && (exchange !== undefined || routingKey !== undefined)) {
        throw new UsageError('give --queue, or --exchange with --routing-key, not both');
      }
      if (exchange === undefined && routingKey !== undefined) throw new UsageError('--routing-key goes with --exchange');
      if (queue === undefined && exchange === undefined) throw new UsageError('give --queue, or --exchange with --routing-key');
      if (exchange !== undefined && routingKey === undefined) throw new UsageError('--exchange needs --routing-key (use --routing-key "" for a fanout exchange)');
      return { name: positionals[0]!, queue, exchange, routingKey, contact };
    },
    async run(args) {
      const team = await createTeam({ actor: CLI_ACTOR, ...args });
      console.log(`Added team ${team.name}: ${describeTeamDestination(team)}`);
    },
  }),
  defineCommand({
    name: 'teams remove',
    args: '<name>',
    summary: 'delete a team (past redirects to it keep its name)',
    flags: [],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals }) => ({ name: positionals[0]! }),
    async run({ name }) {
      const team = await deleteTeam({ actor: CLI_ACTOR, team: { name } });
      console.log(`Removed team ${team.name}`);
    },
  }),
  defineCommand({
    name: 'teams list',
    args: '',
    summary: 'list teams and where a redirect to each goes',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const teams = await listTeams({ actor: CLI_ACTOR });
      if (teams.length === 0) return console.log('No teams. Add one with: npm run cli -- teams add <name> --queue <queue>');
      console.log(formatTable(
        ['NAME', 'DESTINATION', 'CONTACT', 'UPDATED'],
        teams.map((t) => [t.name, describeTeamDestination(t), t.contact ?? '-', formatDate(t.updatedAt)]),
      ));
    },
  }),
];
