import { parseArgs } from 'node:util';
import amqp, { type ChannelModel } from 'amqplib';
import { redactUrl } from '../lib/cli/redact-url';
import { pendingMigrations } from '../lib/db/migrate';
import { disconnectPrisma, prisma } from '../lib/db/prisma';
import { env } from '../lib/env';
import { loadDotEnv } from '../lib/load-dot-env';
import { AppError } from '../lib/errors';
import { addSources } from '../lib/sources/add-sources';
import { removeSource } from '../lib/sources/remove-source';
import { setSourceProtected } from '../lib/sources/set-source-protected';
import { createTeam } from '../lib/teams/create-team';
import { deleteTeam } from '../lib/teams/delete-team';
import { setTeamOwnership } from '../lib/teams/set-team-ownership';
import { createOwnershipRule } from '../lib/ownership/create-ownership-rule';
import { listOwnershipRules } from '../lib/ownership/list-ownership-rules';
import { produceDeadLetters } from './demo/dead-letters';
import {
  declareDemoTopology, DELIVERY_LIMIT, deleteDemoTopology, demoTopology, LABEL_TTL_MS, SERVICES, TRACKING_MAX_LENGTH,
} from './demo/topology';

// `npm run demo`: a small shop on RabbitMQ whose broker dead-letters messages for every
// reason, registered as sources so a running worker ingests them. Safe to run again.
// `npm run demo -- --teardown` deletes the demo's queues and exchanges and its sources.

const ACTOR = { kind: 'system', name: 'cli' } as const;

class DemoError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

async function requireDatabase(databaseUrl: string) {
  const pending = await pendingMigrations(databaseUrl).catch((error: Error) => {
    const hint = /does not exist/.test(error.message) ? '; `npm run db:migrate` creates it' : '';
    throw new DemoError(`cannot reach PostgreSQL at ${redactUrl(databaseUrl)}: ${error.message}${hint}`);
  });
  if (pending.length) throw new DemoError('the database is not migrated; run `npm run db:migrate` first (it also creates the database)');
}

async function connectBroker(url: string): Promise<ChannelModel> {
  return amqp.connect(url, { timeout: 5000, clientProperties: { connection_name: 'dlq-console demo' } }).catch((error: Error) => {
    throw new DemoError(`cannot reach RabbitMQ at ${redactUrl(url)}: ${error.message || String(error)}`);
  });
}

async function setUp(connection: ChannelModel) {
  const topology = demoTopology();
  await declareDemoTopology(connection, topology);
  const { published, deadLettered, leftOver } = await produceDeadLetters({ connection, topology });
  const dlqs = SERVICES.map((s) => topology.dlqs[s]);
  const teamsAdded: string[] = [];
  for (const [name, queue] of Object.entries(topology.teamInboxes)) {
    try {
      await createTeam({ actor: ACTOR, name, queue, contact: `#${name}-oncall` });
      teamsAdded.push(name);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error; // there from an earlier run
    }
  }
  // Billing and shipping own the queues their messages died in, so a team-scoped user of
  // theirs sees only those; orders has no owner. Billing's dead letters need four eyes.
  const w = topology.work;
  await setTeamOwnership({ actor: ACTOR, team: { name: 'billing' }, ownership: { origins: [w.invoices.name], sources: [] } });
  await setTeamOwnership({ actor: ACTOR, team: { name: 'shipping' }, ownership: { origins: [w.labels.name, w.tracking.name], sources: [] } });
  await addDemoOwnershipRules();
  // Sources last: the worker tags what it ingests with the rules above.
  const added = await addSources({ actor: ACTOR, queues: dlqs });
  await setSourceProtected({ actor: ACTOR, queue: topology.dlqs.billing, protected: true });

  console.log(`Declared (or found) on the broker:
  ${topology.events} (topic) -> ${w.orders.name}, ${w.invoices.name} (quorum, delivery limit ${DELIVERY_LIMIT}),
      ${w.labels.name} (TTL ${LABEL_TTL_MS} ms), ${w.tracking.name} (max length ${TRACKING_MAX_LENGTH})
  ${topology.dlx} (direct, keyed by service) -> ${dlqs.join(', ')}

Published ${published} messages; the broker dead-lettered ${deadLettered.reduce((n, d) => n + d.count, 0)}${
    leftOver ? ` (${leftOver} of them left in ${w.tracking.name} by an earlier run)` : ''}:`);
  for (const dlq of dlqs) {
    const reasons = deadLettered.filter((d) => d.dlq === dlq && d.count > 0).map((d) => `${d.count} ${d.reason}`);
    console.log(`  ${dlq.padEnd(14)} ${reasons.join(', ')}`);
  }
  console.log(added.length ? `\nRegistered as sources: ${added.join(', ')}` : '\nAll three DLQs were already sources.');
  console.log(teamsAdded.length
    ? `Teams to redirect to: ${teamsAdded.map((t) => `${t} (${topology.teamInboxes[t as keyof typeof topology.teamInboxes]})`).join(', ')}`
    : 'The demo teams were already there.');
  console.log(`Billing owns ${w.invoices.name}, shipping owns ${w.labels.name} and ${w.tracking.name}; ${topology.dlqs.billing} is protected:
replaying, redirecting or discarding its messages needs a second person's approval.
Ownership rules send UK customers' orders to support, invoices to billing and shipments to shipping.`);
  console.log(`
Next: with \`npm run up\` running (or \`npm run worker\` and the web app), the worker picks up
the new sources within seconds; open ${process.env.NEXTAUTH_URL ?? 'http://127.0.0.1:3000'} to triage the dead letters.
Remove it all with \`npm run demo -- --teardown\`.`);
}

/** UK customers' orders go to support first; invoices to billing, shipments to shipping. */
async function addDemoOwnershipRules() {
  const teams = await prisma().team.findMany({ where: { name: { in: ['billing', 'shipping', 'support'] } }, select: { id: true, name: true } });
  const idOf = (name: string) => teams.find((t) => t.name === name)!.id;
  const wanted = [
    { teamId: idOf('support'), matchKind: 'json_path' as const, matchKey: '$.customer.country', pattern: 'GB' },
    { teamId: idOf('billing'), matchKind: 'routing_key' as const, matchKey: null, pattern: 'invoice.#' },
    { teamId: idOf('shipping'), matchKind: 'routing_key' as const, matchKey: null, pattern: 'shipment.#' },
  ];
  const existing = await listOwnershipRules({ actor: ACTOR });
  for (const rule of wanted) {
    const there = existing.some((r) => r.teamId === rule.teamId && r.matchKind === rule.matchKind && r.matchKey === rule.matchKey && r.pattern === rule.pattern);
    if (!there) await createOwnershipRule({ actor: ACTOR, rule });
  }
}

async function tearDown(connection: ChannelModel) {
  const topology = demoTopology();
  await deleteDemoTopology(connection, topology);
  for (const queue of Object.values(topology.dlqs)) {
    await removeSource({ actor: ACTOR, queue, reason: 'demo teardown' }).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    });
  }
  for (const name of Object.keys(topology.teamInboxes)) {
    await deleteTeam({ actor: ACTOR, team: { name } }).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    });
  }
  console.log('Deleted the demo queues and exchanges, its teams, and removed its sources (stored messages stay).');
}

async function main(argv: string[]) {
  let options;
  try {
    options = parseArgs({ args: argv, options: { teardown: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (error) {
    throw new DemoError(`${(error as Error).message.split('\n')[0]}; usage: npm run demo [-- --teardown]`, 2);
  }
  if (options.help) return console.log('Usage: npm run demo [-- --teardown]');
  let config;
  try {
    loadDotEnv();
    config = env();
  } catch (error) {
    throw new DemoError((error as Error).message, 2);
  }
  await requireDatabase(config.DATABASE_URL);
  const connection = await connectBroker(config.RABBITMQ_URL);
  connection.on('error', () => {}); // reported by the operation that fails
  try {
    await (options.teardown ? tearDown(connection) : setUp(connection));
  } finally {
    await connection.close().catch(() => {});
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exitCode = error instanceof DemoError ? error.exitCode : 1;
} finally {
  await disconnectPrisma().catch(() => {});
}
