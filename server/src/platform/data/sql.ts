/**
 * SQL run straight on a connection of a Knex pool — or of the transaction `db` is — past Knex's
 * runner. `selectRows` sends fixed text without the query builder: for the few fixed-shape reads
 * on the path of most requests (a record by id, a person's organisations), where building the
 * query each time costs more than running it (ADR 0015). `preparedRows` runs a query Knex built as
 * a named prepared statement: for the hot writes whose planning costs more than their execution
 * (ADR 0023). Every other query goes through Knex. The text uses PostgreSQL's `$1, $2…` placeholders.
 */
import type { Knex } from 'knex';

/** A statement for `pg`: unnamed, or prepared under `name` on the connection it first runs on. */
interface Statement {
  name?: string;
  text: string;
  values: readonly unknown[];
}

interface Connection {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
  query(statement: Statement): Promise<{ rows: unknown[] }>;
}

/** What Knex's client (and a transaction's) offers to borrow a connection and announce a query. */
interface PoolClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<void>;
  emit(event: 'query', query: { method: string; sql: string; bindings: readonly unknown[] }): void;
}

/** The rows of a SELECT; announced on Knex's `query` event like any other query. */
export function selectRows<Row>(db: Knex, text: string, values: readonly unknown[]): Promise<Row[]> {
  return runStatement<Row>(db, 'select', { text, values });
}

/** Runs `statement` on a connection borrowed for it, announced on Knex's `query` event. */
async function runStatement<Row>(db: Knex, method: string, statement: Statement): Promise<Row[]> {
  const client = db.client as unknown as PoolClient;
  client.emit('query', { method, sql: statement.text, bindings: statement.values });
  const connection = await client.acquireConnection();
  try {
    return (await connection.query(statement)).rows as Row[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The text each prepared statement's name was first given, so that a name never means two texts. */
const preparedTexts = new Map<string, string>();

/**
 * The rows of a query built with Knex, run as the named prepared statement `name`: each connection
 * parses and plans its text once, then only binds values. For the few statements on a hot path
 * whose planning costs more than their execution (the interaction create, the email-event ingest).
 * The query's text must not vary with its values — a builder given the same columns every time.
 */
export async function preparedRows<Row>(
  db: Knex,
  name: string,
  query: Knex.QueryBuilder | Knex.Raw,
): Promise<Row[]> {
  const { sql: text, bindings } = query.toSQL().toNative();
  const known = preparedTexts.get(name);
  if (known === undefined) preparedTexts.set(name, text);
  else if (known !== text) throw new Error(`the prepared statement ${name} was given another text`);
  return runStatement<Row>(db, 'raw', { name, text, values: bindings });
}

/** One connection of the pool, held: for what lives in a session (a temporary table). */
export interface Session {
  /** Runs SQL text (`$1, $2…` placeholders) on the held connection. */
  query<Row>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Gives the connection back to the pool; the session must be left as it was found. */
  release(): Promise<void>;
}

/** Borrows a connection of the pool until `release()`. */
export async function openSession(db: Knex): Promise<Session> {
  const client = db.client as unknown as PoolClient;
  const connection = await client.acquireConnection();
  return {
    async query<Row>(text: string, values: readonly unknown[] = []) {
      client.emit('query', { method: 'raw', sql: text, bindings: values });
      return (await connection.query(text, values)).rows as Row[];
    },
    release: () => client.releaseConnection(connection),
  };
}

/**
 * The SQL text of a query built once with Knex (so identifiers are quoted its way), for
 * `selectRows`; its placeholders are numbered in the order the builder took its values.
 */
export function sqlTextOf(query: Knex.QueryBuilder): string {
  return query.toSQL().toNative().sql;
}
