import { getSettings } from '../../settings/get-settings';
import { updateSettings } from '../../settings/update-settings';
import type { TSettings } from '../../settings/settings-dto';
import { CLI_ACTOR, defineCommand, positiveIntFlag, UsageError } from '../command';
import { formatDate } from '../print-table';

function printSettings(settings: TSettings) {
  console.log(`approval-threshold  ${settings.approvalThreshold}  (an action on more messages than this needs a second person's approval)`);
  console.log(`updated             ${formatDate(settings.updatedAt)}${settings.updatedBy ? ` by ${settings.updatedBy}` : ''}`);
}

export const SETTINGS_COMMANDS = [
  defineCommand({
    name: 'settings show',
    args: '',
    summary: 'print the console-wide settings',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      printSettings(await getSettings({ actor: CLI_ACTOR }));
    },
  }),
  defineCommand({
    name: 'settings set',
    args: '--approval-threshold N',
    summary: 'change settings: N messages or fewer per action run without a second person\'s approval',
    flags: ['approval-threshold'],
    positionals: { min: 0, max: 0 },
    parse: (input) => {
      const approvalThreshold = positiveIntFlag(input, 'approval-threshold');
      if (approvalThreshold === undefined) throw new UsageError('nothing to change: give --approval-threshold N');
      return { approvalThreshold };
    },
    async run(changes) {
      printSettings(await updateSettings({ actor: CLI_ACTOR, changes }));
    },
  }),
];
