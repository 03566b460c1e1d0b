import { createTeam } from '../../teams/create-team';
import { deleteTeam } from '../../teams/delete-team';
import { listTeams } from '../../teams/list-teams';
import { setTeamMembers } from '../../teams/set-team-members';
import { setTeamOwnership } from '../../teams/set-team-ownership';
import { describeTeamDestination, type TTeam } from '../../teams/team-dto';
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
        ['NAME', 'DESTINATION', 'CONTACT', 'UPDATED', 'OWNS', 'MEMBERS'],
        teams.map((t) => [t.name, describeTeamDestination(t), t.contact ?? '-', formatDate(t.updatedAt), describeOwned(t), t.members.join(',') || '-']),
      ));
    },
  }),
  defineCommand({
    name: 'teams own',
    args: '<name> [--origin Q ...] [--source Q ...] | --none',
    summary: 'set the queues a team owns (the lists replace them): its team-scoped users and tokens see only these',
    flags: [],
    repeatable: ['origin', 'source'],
    switches: ['none'],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals, lists, switches }) => {
      const origins = lists?.origin ?? [];
      const sources = lists?.source ?? [];
      if (switches?.none && origins.length + sources.length > 0) throw new UsageError('give --origin and --source, or --none, not both');
      if (!switches?.none && origins.length + sources.length === 0) throw new UsageError('give --origin Q or --source Q (repeat for more), or --none to own nothing');
      return { name: positionals[0]!, origins, sources };
    },
    async run({ name, origins, sources }) {
      const team = await setTeamOwnership({ actor: CLI_ACTOR, team: { name }, ownership: { origins, sources } });
      console.log(`Team ${team.name} owns ${describeOwned(team) === '-' ? 'no queues' : describeOwned(team)}`);
    },
  }),
  defineCommand({
    name: 'teams members',
    args: '<name> --user EMAIL ... | --none',
    summary: 'set who is in a team (the list replaces them)',
    flags: [],
    repeatable: ['user'],
    switches: ['none'],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals, lists, switches }) => {
      const users = lists?.user ?? [];
      if (switches?.none && users.length > 0) throw new UsageError('give --user or --none, not both');
      if (!switches?.none && users.length === 0) throw new UsageError('give --user EMAIL (repeat for more), or --none for no members');
      return { name: positionals[0]!, users };
    },
    async run({ name, users }) {
      const team = await setTeamMembers({ actor: CLI_ACTOR, team: { name }, members: { users } });
      console.log(`Team ${team.name} members: ${team.members.join(', ') || 'none'}`);
    },
  }),
];

function describeOwned(team: TTeam): string {
  const owned = [...team.origins.map((q) => `origin:${q}`), ...team.sources.map((q) => `source:${q}`)];
  return owned.join(',') || '-';
}
