import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/auth-options';

type TNextAuthContext = { params: Promise<{ nextauth: string[] }> };

// next-auth's sign-in, callback, session and sign-out endpoints.
async function handler(request: NextRequest, context: TNextAuthContext) {
  return NextAuth(request, { params: await context.params }, authOptions());
}

export { handler as GET, handler as POST };
