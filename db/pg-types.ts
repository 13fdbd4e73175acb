import pg from 'pg';

/**
 * `date` columns (order.local_date, member.birthday) are calendar dates, not instants: keep them
 * as 'YYYY-MM-DD' strings instead of node-postgres' default local-midnight Date, which would shift
 * with the process time zone. Imported for its side effect by every module that creates a pool.
 */
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value: string) => value);

export {};
