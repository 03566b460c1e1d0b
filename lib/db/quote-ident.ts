/** A PostgreSQL identifier (a database, table or column name) quoted for SQL text, as quote_ident() would. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
