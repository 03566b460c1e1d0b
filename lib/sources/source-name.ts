import { ZQueueName } from '../validation/broker-names';

/** A source is a queue; its name follows the broker's rules (lib/validation/broker-names.ts). */
export const ZSourceQueue = ZQueueName;
