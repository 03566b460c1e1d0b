import { ROLES, type TRole } from '../../permissions/roles';
import { createUser } from '../../users/create-user';
import { disableUser } from '../../users/disable-user';
import { enableUser } from '../../users/enable-user';
import { listUsers } from '../../users/list-users';
import { revokeUserSessions } from '../../users/revoke-user-sessions';
import { setUserPassword } from '../../users/set-user-password';
import { updateUser } from '../../users/update-user';
import type { TUser, TUserUpdate } from '../../users/user-dto';
import { CLI_ACTOR, defineCommand, requireFlag, UsageError, type TCommandInput } from '../command';
import { formatDate, formatTable } from '../print-table';
import { readStdin } from '../read-stdin';

// "-" for a password reads it from standard input: it stays out of shell history and the process list.
const readPassword = async (value: string) => (value === '-' ? readStdin() : value);

const describe = (u: TUser) => `${u.email} (${u.role}${u.teamScoped ? `, limited to ${u.teams.map((t) => t.name).join(', ') || 'no team'}` : ''})`;

/** --team-scoped or --all-teams, never both; undefined when neither. */
function teamScopedSwitch({ switches }: TCommandInput): boolean | undefined {
  if (switches?.['team-scoped'] && switches['all-teams']) throw new UsageError('give --team-scoped or --all-teams, not both');
  return switches?.['team-scoped'] ? true : switches?.['all-teams'] ? false : undefined;
}

export const USER_COMMANDS = [
  defineCommand({
    name: 'users create',
    args: '--email E --password P|- --role R [--name N] [--team T ...] [--team-scoped]',
    summary: `create a console user (role: ${ROLES.join(', ')}); --password - reads it from standard input`,
    flags: ['email', 'password', 'role', 'name'],
    repeatable: ['team'],
    switches: ['team-scoped'],
    positionals: { min: 0, max: 0 },
    parse: (input) => ({
      email: requireFlag(input, 'email'),
      password: requireFlag(input, 'password'),
      // createUser validates the role and names the allowed ones.
      role: requireFlag(input, 'role') as TRole,
      name: input.flags.name,
      teams: input.lists?.team ?? [],
      teamScoped: input.switches?.['team-scoped'] === true,
    }),
    async run(args) {
      const user = await createUser({ actor: CLI_ACTOR, ...args, password: await readPassword(args.password) });
      console.log(`Created user ${user.id} ${describe(user)}`);
    },
  }),
  defineCommand({
    name: 'users list',
    args: '',
    summary: 'list users with their role, teams and status (never passwords)',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const users = await listUsers({ actor: CLI_ACTOR });
      if (users.length === 0) return console.log('No users. Create one with: npm run cli -- users create --email E --password - --role admin');
      console.log(formatTable(
        ['EMAIL', 'NAME', 'ROLE', 'TEAMS', 'SCOPED', 'PROVIDER', 'STATUS', 'CREATED'],
        users.map((u) => [
          u.email, u.name ?? '-', u.role, u.teams.map((t) => t.name).join(',') || '-', u.teamScoped ? 'yes' : 'no',
          u.authProvider, u.disabled ? 'disabled' : 'enabled', formatDate(u.createdAt),
        ]),
      ));
    },
  }),
  defineCommand({
    name: 'users update',
    args: '<email> [--role R] [--name N] [--team T ...|--no-teams] [--team-scoped|--all-teams]',
    summary: 'change a user\'s role, name, teams (the list replaces them) or team scope; effective at their next request',
    flags: ['role', 'name'],
    repeatable: ['team'],
    switches: ['no-teams', 'team-scoped', 'all-teams'],
    positionals: { min: 1, max: 1 },
    parse: (input) => {
      const teams = input.lists?.team ?? [];
      if (teams.length > 0 && input.switches?.['no-teams']) throw new UsageError('give --team or --no-teams, not both');
      const changes: TUserUpdate = {
        role: input.flags.role as TRole | undefined,
        name: input.flags.name,
        teams: input.switches?.['no-teams'] ? [] : teams.length > 0 ? teams : undefined,
        teamScoped: teamScopedSwitch(input),
      };
      if (Object.values(changes).every((v) => v === undefined)) {
        throw new UsageError('nothing to change: give --role, --name, --team, --no-teams, --team-scoped or --all-teams');
      }
      return { email: input.positionals[0]!, changes };
    },
    async run({ email, changes }) {
      const user = await updateUser({ actor: CLI_ACTOR, user: { email }, changes });
      console.log(`Updated user ${describe(user)}`);
    },
  }),
  defineCommand({
    name: 'users disable',
    args: '<email> [--reason TEXT]',
    summary: 'stop a user signing in and end their sessions at their next request',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => ({ email: positionals[0]!, reason: flags.reason }),
    async run({ email, reason }) {
      const user = await disableUser({ actor: CLI_ACTOR, user: { email }, reason });
      console.log(`Disabled user ${user.email} (since ${formatDate(user.disabledAt)}); their sessions end at their next request`);
    },
  }),
  defineCommand({
    name: 'users enable',
    args: '<email> [--reason TEXT]',
    summary: 'let a disabled user sign in again',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => ({ email: positionals[0]!, reason: flags.reason }),
    async run({ email, reason }) {
      const user = await enableUser({ actor: CLI_ACTOR, user: { email }, reason });
      console.log(`Enabled user ${user.email}`);
    },
  }),
  defineCommand({
    name: 'users sign-out',
    args: '<email> [--reason TEXT]',
    summary: 'end every session of a user at its next request ("sign out everywhere")',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => ({ email: positionals[0]!, reason: flags.reason }),
    async run({ email, reason }) {
      const user = await revokeUserSessions({ actor: CLI_ACTOR, user: { email }, reason });
      console.log(`Signed ${user.email} out everywhere: sessions from before ${formatDate(user.sessionsValidAfter)} are refused`);
    },
  }),
  defineCommand({
    name: 'users set-password',
    args: '<email> --password P|-',
    summary: 'set a user\'s password (- reads it from standard input) and end their sessions',
    flags: ['password'],
    positionals: { min: 1, max: 1 },
    parse: (input) => ({ email: input.positionals[0]!, password: requireFlag(input, 'password') }),
    async run({ email, password }) {
      const user = await setUserPassword({ actor: CLI_ACTOR, user: { email }, password: await readPassword(password) });
      console.log(`Set the password of ${user.email}; their sessions end at their next request`);
    },
  }),
];
