import { reportingSetup } from '../../lib/testing/faults/report';

// Playwright's global setup: the hostile-input specs (rendering, HTTP) record their cases,
// and the returned teardown writes them into the "hostile" section of reports/faults.json.
export default function globalSetup() {
  return reportingSetup('hostile', 'playwright');
}
