import { ROLES, type TRole } from '../../permissions/roles';
import { createApiToken } from '../../tokens/create-api-token';
import { listApiTokens } from '../../tokens/list-api-tokens';
import { revokeApiToken } from '../../tokens/revoke-api-token';
import { CLI_ACTOR, defineCommand, positiveIntFlag, requireFlag } from '../command';
import { formatDate, formatTable } from '../print-table';

export const TOKEN_COMMANDS = [
  defineCommand({
    name: 'tokens create',
    args: '--name N --role R [--expires-in-days D] [--team T]',
    summary: `create an API token (role: ${ROLES.join(', ')}), optionally limited to one team's queues; it is shown once`,
    flags: ['name', 'role', 'expires-in-days', 'team'],
    positionals: { min: 0, max: 0 },
    parse: (input) => ({
      name: requireFlag(input, 'name'),
      // createApiToken validates the role and names the allowed ones.
      role: requireFlag(input, 'role') as TRole,
      expiresInDays: positiveIntFlag(input, 'expires-in-days'),
      team: input.flags.team,
    }),
    async run(args) {
      const created = await createApiToken({ actor: CLI_ACTOR, ...args });
      const team = created.team ? `, limited to team ${created.team.name}` : '';
      console.log(`Created token ${created.id} "${created.name}" (${created.role}${team}), expires ${formatDate(created.expiresAt)}`);
      console.log('');
      console.log(`  ${created.token}`);
      console.log('');
      console.log('Copy it now: it is stored only as a hash and will not be shown again.');
    },
  }),
  defineCommand({
    name: 'tokens revoke',
    args: '<id-or-name> [--reason TEXT]',
    summary: 'revoke an API token at once',
    flags: ['reason'],
    positionals: { min: 1, max: 1 },
    parse: ({ flags, positionals }) => ({ idOrName: positionals[0]!, reason: flags.reason }),
    async run(args) {
      const revoked = await revokeApiToken({ actor: CLI_ACTOR, ...args });
      console.log(`Revoked token ${revoked.id} "${revoked.name}"`);
    },
  }),
  defineCommand({
    name: 'tokens list',
    args: '',
    summary: 'list API tokens (never their secrets)',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const tokens = await listApiTokens({ actor: CLI_ACTOR });
      if (tokens.length === 0) return console.log('No API tokens.');
      console.log(formatTable(
        ['ID', 'NAME', 'ROLE', 'TEAM', 'PREFIX', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED'],
        tokens.map((t) => [
          t.id, t.name, t.role, t.team?.name ?? '-', t.prefix, formatDate(t.createdAt),
          t.expired ? `${formatDate(t.expiresAt)} (expired)` : formatDate(t.expiresAt),
          formatDate(t.revokedAt), formatDate(t.lastUsedAt),
        ]),
      ));
    },
  }),
];
