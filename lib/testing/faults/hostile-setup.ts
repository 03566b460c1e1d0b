import { reportingSetup } from './report';

// Global setup of the main vitest run: the hostile-input files record their cases, and the
// teardown writes the "hostile" section of reports/faults.json and prints its table.
export default function setup() {
  return reportingSetup('hostile');
}
