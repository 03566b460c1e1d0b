import { NextResponse } from 'next/server';
import { z } from 'zod';
import { ZContractInput } from '@/lib/contracts/contract-dto';
import { listContracts } from '@/lib/contracts/list-contracts';
import { removeContract } from '@/lib/contracts/remove-contract';
import { setContract } from '@/lib/contracts/set-contract';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { readEmptyBody, readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZQueueName } from '@/lib/validation/broker-names';

const MAX_BODY_BYTES = 1024 * 1024; // a schema is at most 256 KiB; room for whitespace

// GET /api/v1/contracts — every origin queue's JSON Schema.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listContracts({ actor }) }), {
  permission: 'messages:read',
});

// PUT /api/v1/contracts — { origin, schema }: set or replace that origin's contract; { contract }.
export const PUT = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZContractInput, MAX_BODY_BYTES);
    return NextResponse.json({ contract: await setContract({ actor, ...input }) });
  },
  { permission: 'contracts:manage' },
);

// DELETE /api/v1/contracts?origin=<queue> — remove that origin's contract; { contract } as it was.
export const DELETE = withOperator(
  async ({ request, actor }) => {
    await readEmptyBody(request);
    const { origin } = parseSearchParams(z.strictObject({ origin: ZQueueName }), request.nextUrl.searchParams);
    return NextResponse.json({ contract: await removeContract({ actor, origin }) });
  },
  { permission: 'contracts:manage' },
);
