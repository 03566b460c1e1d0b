import { ROLES, type TRole } from '../../permissions/roles';
import { createUser } from '../../users/create-user';
import { CLI_ACTOR, defineCommand, requireFlag } from '../command';
import { readStdin } from '../read-stdin';

export const USER_COMMANDS = [
  defineCommand({
    name: 'users create',
    args: '--email E --password P|- --role R [--name N]',
    summary: `create a console user (role: ${ROLES.join(', ')}); --password - reads it from standard input`,
    flags: ['email', 'password', 'role', 'name'],
    positionals: { min: 0, max: 0 },
    parse: (input) => ({
      email: requireFlag(input, 'email'),
      password: requireFlag(input, 'password'),
      // createUser validates the role and names the allowed ones.
      role: requireFlag(input, 'role') as TRole,
      name: input.flags.name,
    }),
    async run(args) {
      // "-" keeps the password out of shell history and the process list.
      const password = args.password === '-' ? await readStdin() : args.password;
      const user = await createUser({ actor: CLI_ACTOR, ...args, password });
      console.log(`Created user ${user.id} ${user.email} (${user.role})`);
    },
  }),
];
