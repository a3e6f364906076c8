/**
 * The only module that reads `process.env`. Each service loads its settings once at start-up;
 * anything missing or malformed stops the process with a message naming the variable.
 */
import Joi from "joi";
import { apiSchema, campaignSchema, databaseSchema, localSchema } from "./config-schemas";

export type AppEnv = "local" | "dev" | "prod";

/** A secret given directly (local, tests) or by the ARN of a Secrets Manager secret (cloud). */
export type SecretSource = { value: string } | { secretArn: string };

/**
 * How a process reaches PostgreSQL: a URL (local, tests); an RDS endpoint with the credentials of a
 * Secrets Manager secret (the migrator, or whoever prefers passwords); or an RDS endpoint as `user`
 * with IAM authentication tokens (the services on AWS: no password anywhere, none to rotate).
 */
export type DatabaseConfig =
  | { kind: "url"; url: string; poolMax: number }
  | { kind: "secret"; host: string; port: number; database: string; secretArn: string; ssl: boolean; poolMax: number }
  | { kind: "iam"; host: string; port: number; database: string; user: string; ssl: boolean; poolMax: number };

/** What every process that touches the database needs, `npm run migrate` included. */
export interface DatabaseProcessConfig {
  appEnv: AppEnv;
  logLevel: string;
  awsRegion: string;
  database: DatabaseConfig;
}

interface CommonConfig extends DatabaseProcessConfig {
  unsubscribeSigningKey: SecretSource;
  /** The signing key before the last rotation: links signed with it keep working. */
  unsubscribeSigningKeyPrevious?: SecretSource;
}

export interface ApiConfig extends CommonConfig {
  port: number;
  /** Address to listen on: loopback unless told otherwise (the container sets 0.0.0.0). */
  host: string;
  /** Proxies in front of the API whose X-Forwarded-For is believed (0: none, the header is ignored). */
  trustProxyHops: number;
  /** The load balancer's idle timeout: keep-alive connections must outlive it. */
  loadBalancerIdleTimeoutSeconds: number;
  /** The API's public URL; `https://…` turns on HSTS. */
  publicBaseUrl?: string;
  snsTopicArn: string;
  adminApiKey: SecretSource;
  outboxSweepIntervalMs: number;
  /** How long a relay reserves the events it claimed; a task that dies releases them after this. */
  outboxLeaseMs: number;
  rateLimits: {
    windowMs: number;
    perClient: number;
    verifyPerClient: number;
    registrationWindowMs: number;
    registrationsPerClient: number;
  };
  /** Browser origins allowed by CORS; empty means none (same-origin only). */
  corsOrigins: string[];
  /** Days copies of personal data kept for delivery (published outbox events) are kept. */
  personalDataRetentionDays: number;
}

export interface CampaignConfig extends CommonConfig {
  senderEmail: string;
  publicBaseUrl: string;
  /** Emails per second the account's SES quota allows; sending is paced to it. */
  sesMaxSendRate: number;
  /** Where messages that can never be processed go (in the cloud; the local platform brings its own). */
  deadLetterQueueUrl?: string;
  /** Named on every send, so SES publishes the email's events (bounces, complaints); required in the cloud. */
  sesConfigurationSet?: string;
  /** Local only: SNS signing certificates under this URL (the local SNS's) are trusted besides SNS's own. */
  localSnsCertUrlPrefix?: string;
  /** The broadcast queue, where the broadcast function sends its own `page` and `send` messages (in the cloud). */
  broadcastQueueUrl?: string;
}

/** How the local platform's stand-ins for AWS behave (`npm start`, tests, benchmarks). */
export interface LocalConfig {
  /** Each SNS call takes this long (a Publish inside a region: about 20 ms). */
  snsLatencyMs: number;
  /** Each SES send takes this long. */
  sesLatencyMs: number;
  /** The local SES refuses sends above this rate with `Throttling`, as SES does above the quota. */
  sesMaxSendRate: number;
  /** Queue timeouts are the cloud's divided by this, so retries come in seconds, not minutes. */
  timeScale: number;
  /** The event source mapping's maximum concurrency (function instances at once). */
  functionConcurrency: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function validate(schema: Joi.ObjectSchema, env: Env): Record<string, unknown> {
  const { error, value } = schema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => d.message.replace(/"/g, ""));
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return value;
}

function secretSource(v: Record<string, unknown>, name: string): SecretSource {
  return v[name] !== undefined ? { value: v[name] as string } : { secretArn: v[`${name}_SECRET_ARN`] as string };
}

function databaseProcessConfig(v: Record<string, unknown>): DatabaseProcessConfig {
  const poolMax = v.DB_POOL_MAX as number;
  const endpoint = { host: v.DB_HOST as string, port: v.DB_PORT as number, database: v.DB_NAME as string };
  const database: DatabaseConfig =
    v.DATABASE_URL !== undefined
      ? { kind: "url", url: v.DATABASE_URL as string, poolMax }
      : v.DB_IAM_AUTH
        ? { kind: "iam", ...endpoint, user: v.DB_USER as string, ssl: true, poolMax }
        : { kind: "secret", ...endpoint, secretArn: v.DB_SECRET_ARN as string, ssl: v.DB_SSL === "verify", poolMax };
  return {
    appEnv: v.APP_ENV as AppEnv,
    logLevel: v.LOG_LEVEL as string,
    awsRegion: v.AWS_REGION as string,
    database,
  };
}

function commonConfig(v: Record<string, unknown>): CommonConfig {
  const hasPrevious = v.UNSUBSCRIBE_SIGNING_KEY_PREVIOUS !== undefined || v.UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN !== undefined;
  return {
    ...databaseProcessConfig(v),
    unsubscribeSigningKey: secretSource(v, "UNSUBSCRIBE_SIGNING_KEY"),
    ...(hasPrevious ? { unsubscribeSigningKeyPrevious: secretSource(v, "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS") } : {}),
  };
}

export function loadDatabaseProcessConfig(env: Env = process.env): DatabaseProcessConfig {
  return databaseProcessConfig(validate(databaseSchema, env));
}

export function loadApiConfig(env: Env = process.env): ApiConfig {
  const v = validate(apiSchema, env);
  return {
    ...commonConfig(v),
    port: v.PORT as number,
    host: v.HOST as string,
    trustProxyHops: v.TRUST_PROXY_HOPS as number,
    loadBalancerIdleTimeoutSeconds: v.LOAD_BALANCER_IDLE_TIMEOUT_SECONDS as number,
    publicBaseUrl: v.PUBLIC_BASE_URL as string | undefined,
    snsTopicArn: v.SNS_TOPIC_ARN as string,
    adminApiKey: secretSource(v, "ADMIN_API_KEY"),
    outboxSweepIntervalMs: v.OUTBOX_SWEEP_INTERVAL_MS as number,
    outboxLeaseMs: v.OUTBOX_LEASE_MS as number,
    rateLimits: {
      windowMs: (v.RATE_LIMIT_WINDOW_SECONDS as number) * 1000,
      perClient: v.RATE_LIMIT_PER_CLIENT as number,
      verifyPerClient: v.RATE_LIMIT_VERIFY_PER_CLIENT as number,
      registrationWindowMs: (v.RATE_LIMIT_REGISTRATION_WINDOW_SECONDS as number) * 1000,
      registrationsPerClient: v.RATE_LIMIT_REGISTRATIONS_PER_CLIENT as number,
    },
    corsOrigins: (v.CORS_ORIGINS as string).split(",").map((o) => o.trim()).filter(Boolean),
    personalDataRetentionDays: v.PERSONAL_DATA_RETENTION_DAYS as number,
  };
}

export function loadCampaignConfig(env: Env = process.env): CampaignConfig {
  const v = validate(campaignSchema, env);
  return {
    ...commonConfig(v),
    senderEmail: v.SENDER_EMAIL as string,
    publicBaseUrl: (v.PUBLIC_BASE_URL as string).replace(/\/+$/, ""),
    sesMaxSendRate: v.SES_MAX_SEND_RATE as number,
    deadLetterQueueUrl: v.DEAD_LETTER_QUEUE_URL as string | undefined,
    sesConfigurationSet: v.SES_CONFIGURATION_SET as string | undefined,
    localSnsCertUrlPrefix: v.LOCAL_SNS_CERT_URL_PREFIX as string | undefined,
    broadcastQueueUrl: v.BROADCAST_QUEUE_URL as string | undefined,
  };
}

export function loadLocalConfig(env: Env = process.env): LocalConfig {
  const v = validate(localSchema, env);
  return {
    snsLatencyMs: v.LOCAL_SNS_LATENCY_MS as number,
    sesLatencyMs: v.LOCAL_SES_LATENCY_MS as number,
    sesMaxSendRate: v.LOCAL_SES_MAX_SEND_RATE as number,
    timeScale: v.LOCAL_TIME_SCALE as number,
    functionConcurrency: v.LOCAL_FUNCTION_CONCURRENCY as number,
  };
}
