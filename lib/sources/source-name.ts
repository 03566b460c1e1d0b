import { z } from 'zod';
import { hasControlCharacters } from '../validation/text';

// RabbitMQ queue names are at most 255 bytes of UTF-8; we also refuse control characters
// so a name always prints and logs cleanly.
export const ZSourceQueue = z
  .string()
  .trim()
  .min(1, 'queue name is empty')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 255, 'queue name is longer than 255 bytes')
  .refine((s) => !hasControlCharacters(s), 'queue name contains control characters');
