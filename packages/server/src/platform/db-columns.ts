import type { ColumnType } from 'kysely';

/** Column types shared by the table types. Timestamps are written as Date and read back as Date. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** bigint/count columns: PGlite returns numbers, node-postgres strings — normalise with toNumber(). */
export type BigIntColumn = ColumnType<number | string, number | bigint, number | bigint>;
/** A column the database fills in when the insert leaves it out. */
export type WithDefault<T> = ColumnType<T, T | undefined, T>;
