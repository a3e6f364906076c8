/**
 * The one place that opens PostgreSQL connections. With a Secrets Manager secret the credentials
 * are read when the pool opens its first connection and read again when the server rejects them,
 * so an RDS password rotation costs one retried connection, not a failed request.
 */
import knex, { Knex } from "knex";
// The PostgreSQL dialect's client class, extended below; knex accepts a Client class as `client`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PostgresClient = require("knex/lib/dialects/postgres") as new (config: Knex.Config) => Knex.Client & {
  connectionSettings: object;
  acquireRawConnection(): Promise<unknown>;
};
import { DatabaseConfig } from "./config";
import { Logger } from "./logger";
import { readSecretString } from "./secrets";

export type Database = Knex;

const INVALID_PASSWORD = "28P01";

export function createDatabase(config: DatabaseConfig, options: { region: string; logger: Logger }): Database {
  const common = {
    client: "pg",
    pool: { min: 0, max: config.poolMax, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 10_000,
    log: knexLog(options.logger),
  };
  if (config.kind === "url") return knex({ ...common, connection: config.url });

  const readSettings = async (): Promise<Knex.PgConnectionConfig> => {
    const secret = JSON.parse(await readSecretString(config.secretArn, options.region)) as {
      username: string;
      password: string;
    };
    return {
      host: config.host,
      port: config.port,
      database: config.database,
      user: secret.username,
      password: secret.password,
      ssl: config.ssl ? { rejectUnauthorized: true } : false,
    };
  };

  // The dialect's connect step, retried once with a freshly read secret when the server rejects
  // the password, so the query that meets a rotation still succeeds. Other failures (the server
  // unreachable) still fail at once, and the request answers 503 instead of waiting.
  class RotatingCredentialsClient extends PostgresClient {
    async acquireRawConnection(): Promise<unknown> {
      try {
        return await super.acquireRawConnection();
      } catch (err) {
        if ((err as { code?: string }).code !== INVALID_PASSWORD) throw err;
        options.logger.warn("database rejected the credentials; reading the secret again");
        this.connectionSettings = await readSettings();
        return super.acquireRawConnection();
      }
    }
  }

  return knex({ ...common, client: RotatingCredentialsClient as unknown as typeof Knex.Client, connection: readSettings });
}

/** Knex prints its warnings as plain text by default; they belong in the JSON log like everything else. */
function knexLog(logger: Logger): Knex.Config["log"] {
  const message = (m: unknown) => ({ knex: m instanceof Error ? m.message : String(m) });
  return {
    warn: (m) => logger.warn(message(m), "knex warning"),
    error: (m) => logger.error(message(m), "knex error"),
    deprecate: (method, alternative) => logger.warn({ method, alternative }, "knex deprecation"),
    debug: (m) => logger.debug(message(m), "knex debug"),
  };
}

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);

/** True when an error means "the database cannot be reached right now" rather than a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
  if (code && (code.startsWith("08") || /^57P0[1-3]$/.test(code))) return true;
  if (err.name === "KnexTimeoutError") return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(err.message);
}
