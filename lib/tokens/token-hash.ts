import { createHash, randomBytes } from 'node:crypto';

// API tokens are 256 random bits, so a plain SHA-256 is enough to store them: there is
// nothing to brute-force. The prefix lets an operator recognise a token in a list.

export const TOKEN_PREFIX = 'dlq_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
