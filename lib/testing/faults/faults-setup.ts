import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { reportingSetup } from './report';

// Global setup of `npm run test:faults`: the teardown writes the "faults" section of
// reports/faults.json and prints its table, and starts RabbitMQ again if a scenario that
// stops it (lib/worker/broker-outage.faults.test.ts) was cut short before its own finally.

const brokerAccepts = () => new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port: 5672 });
  socket.setTimeout(2000);
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
  socket.once('timeout', () => { socket.destroy(); resolve(false); });
});

export default function setup() {
  const writeReport = reportingSetup('faults');
  return async () => {
    if (process.env.FAULT_BROKER_OUTAGE !== 'proxy' && !(await brokerAccepts())) {
      console.warn('RabbitMQ on 127.0.0.1:5672 does not accept connections after the fault suite: rabbitmqctl start_app');
      await promisify(execFile)('rabbitmqctl', ['start_app'], { timeout: 120_000 }).catch((error: Error) => console.error(`rabbitmqctl start_app failed: ${error.message}`));
    }
    await writeReport();
  };
}
