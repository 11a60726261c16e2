import type { Insertable } from 'kysely';
import type {
  SignalsTable,
  UnderstandingSecondPartialsTable,
  UnderstandingSecondsTable,
} from '../platform/db-schema.js';

/** The rows the live path queues for the database (types only: realtime never calls repos). */
export type SignalRecord = Insertable<SignalsTable>;
export type SecondRecord = Insertable<UnderstandingSecondsTable>;
export type SecondPartialInsert = Insertable<UnderstandingSecondPartialsTable>;
