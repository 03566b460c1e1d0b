import { createRedactionRule } from '../../redaction/create-redaction-rule';
import { deleteRedactionRule } from '../../redaction/delete-redaction-rule';
import { listRedactionRules } from '../../redaction/list-redaction-rules';
import { headerPatternProblem, jsonPathProblem } from '../../redaction/redaction-rule-dto';
import { CLI_ACTOR, defineCommand, UsageError } from '../command';
import { formatDate, formatTable } from '../print-table';

export const REDACTION_COMMANDS = [
  defineCommand({
    name: 'redaction list',
    args: '',
    summary: 'list redaction rules (what viewers, operators and support leads see masked)',
    flags: [],
    positionals: { min: 0, max: 0 },
    parse: () => ({}),
    async run() {
      const rules = await listRedactionRules({ actor: CLI_ACTOR });
      if (rules.length === 0) return console.log("No redaction rules. Add one with: npm run cli -- redaction add --json-path '$.card.number'");
      console.log(formatTable(['ID', 'KIND', 'PATTERN', 'CREATED BY', 'CREATED'], rules.map((r) => [r.id, r.kind, r.pattern, r.createdBy, formatDate(r.createdAt)])));
    },
  }),
  defineCommand({
    name: 'redaction add',
    args: "--json-path '$.a.b' | --header <name>",
    summary: 'mask a JSON path in bodies or a header value for roles without messages:read-sensitive',
    flags: ['json-path', 'header'],
    positionals: { min: 0, max: 0 },
    parse: ({ flags }) => {
      const jsonPath = flags['json-path'];
      const header = flags.header;
      if ((jsonPath === undefined) === (header === undefined)) throw new UsageError('give exactly one of --json-path or --header');
      const rule = jsonPath !== undefined ? { kind: 'json_path' as const, pattern: jsonPath.trim() } : { kind: 'header' as const, pattern: header!.trim() };
      const problem = rule.kind === 'header' ? headerPatternProblem(rule.pattern) : jsonPathProblem(rule.pattern);
      if (problem) throw new UsageError(problem);
      return rule;
    },
    async run(rule) {
      const created = await createRedactionRule({ actor: CLI_ACTOR, ...rule });
      console.log(`Added ${created.kind === 'header' ? 'header' : 'JSON path'} rule ${created.pattern} (id ${created.id})`);
    },
  }),
  defineCommand({
    name: 'redaction remove',
    args: '<id>',
    summary: 'delete a redaction rule (its values show in clear again)',
    flags: [],
    positionals: { min: 1, max: 1 },
    parse: ({ positionals }) => ({ id: positionals[0]! }),
    async run({ id }) {
      const rule = await deleteRedactionRule({ actor: CLI_ACTOR, id });
      console.log(`Removed ${rule.kind === 'header' ? 'header' : 'JSON path'} rule ${rule.pattern}`);
    },
  }),
];
