import { ROLES } from '../../permissions/roles';
import { createUser } from '../../users/create-user';
import { CLI_ACTOR, requireFlag, type TCommand } from '../command';

export const USER_COMMANDS: TCommand[] = [
  {
    name: 'users create',
    args: '--email E --password P --role R [--name N]',
    summary: `create a console user (role: ${ROLES.join(', ')})`,
    flags: ['email', 'password', 'role', 'name'],
    positionals: { min: 0, max: 0 },
    async run(input) {
      const user = await createUser({
        actor: CLI_ACTOR,
        email: requireFlag(input, 'email'),
        password: requireFlag(input, 'password'),
        role: requireFlag(input, 'role') as (typeof ROLES)[number],
        name: input.flags.name,
      });
      console.log(`Created user ${user.id} ${user.email} (${user.role})`);
    },
  },
];
