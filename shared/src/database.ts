/**
 * The one place that opens PostgreSQL connections. With a Secrets Manager secret the credentials
 * are read when the pool opens its first connection and read again when the server rejects them,
 * so an RDS password rotation costs one retried connection, not a failed request. With IAM
 * authentication each new connection gets a fresh token (valid 15 minutes, signed locally with
 * the process's AWS role): there is no password to store or rotate.
 */
import { Signer } from "@aws-sdk/rds-signer";
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

/** Whom an IAM token lets in: the RDS endpoint and the database user. */
export interface TokenTarget {
  host: string;
  port: number;
  user: string;
}

export interface DatabaseOptions {
  region: string;
  logger: Logger;
  /** Signs an IAM authentication token. Default: `@aws-sdk/rds-signer` with the process's AWS credentials. */
  signAuthToken?: (target: TokenTarget) => Promise<string>;
}

const INVALID_PASSWORD = "28P01";

export function createDatabase(config: DatabaseConfig, options: DatabaseOptions): Database {
  const common = {
    client: "pg",
    pool: { min: 0, max: config.poolMax, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 10_000,
    log: knexLog(options.logger),
  };
  if (config.kind === "url") return knex({ ...common, connection: config.url });
  if (config.kind === "iam") {
    const target = { host: config.host, port: config.port, user: config.user };
    const sign = options.signAuthToken ?? rdsAuthTokens(options.region);
    // pg asks for the password each time it opens a connection: each one gets a token of its own.
    const ssl = config.ssl ? { rejectUnauthorized: true } : false;
    const connection = { ...target, database: config.database, ssl, password: () => sign(target) };
    return knex({ ...common, connection });
  }

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

/**
 * Tokens from RDS's signer: a SigV4-presigned `rds-db:connect` request, made locally (no network
 * call). One signer per target, so its credentials are resolved once and refreshed before they expire.
 */
export function rdsAuthTokens(region: string): (target: TokenTarget) => Promise<string> {
  const signers = new Map<string, Signer>();
  return ({ host, port, user }) => {
    const key = `${user}@${host}:${port}`;
    let signer = signers.get(key);
    if (!signer) signers.set(key, (signer = new Signer({ hostname: host, port, username: user, region })));
    return signer.getAuthToken();
  };
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
