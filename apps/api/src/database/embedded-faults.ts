/**
 * Fault injection for the embedded database, used by the fault and reliability tests: while `down`
 * is set, every new query fails as if the database had gone away. (A PostgreSQL server is cut off
 * for real in those tests, through a TCP proxy.)
 */
export const embeddedDatabaseFaults = { down: false };
