import { reportingSetup } from './report';

// Global setup of `npm run test:faults`: the teardown writes the "faults" section of
// reports/faults.json and prints its table.
export default function setup() {
  return reportingSetup('faults');
}
