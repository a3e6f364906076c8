/**
 * The only module that reads `process.env`. Each service loads its settings once at start-up;
 * anything missing or malformed stops the process with a message naming the variable.
 */
import Joi from "joi";

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

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const common = {
  APP_ENV: Joi.string().valid("local", "dev", "prod").default("local"),
  LOG_LEVEL: Joi.string().valid(...logLevels).default("info"),
  AWS_REGION: Joi.string().pattern(/^[a-z]{2}(-[a-z]+)+-\d$/).when("APP_ENV", {
    is: "local",
    then: Joi.optional().default("us-east-1"),
    otherwise: Joi.required(),
  }),
  DATABASE_URL: Joi.string().uri({ scheme: ["postgres", "postgresql"] }),
  DB_HOST: Joi.string().hostname(),
  DB_PORT: Joi.number().port().default(5432),
  DB_NAME: Joi.string().when("DB_HOST", { is: Joi.exist(), then: Joi.required() }),
  // IAM database authentication: connect as DB_USER with a token signed by the process's AWS role.
  DB_IAM_AUTH: Joi.boolean()
    .default(false)
    .when("DB_HOST", {
      not: Joi.exist(),
      then: Joi.valid(false).messages({ "any.only": "DB_IAM_AUTH needs DB_HOST, DB_NAME and DB_USER (IAM tokens are for RDS, not DATABASE_URL)" }),
    }),
  DB_USER: Joi.string()
    .pattern(/^[a-z_][a-z0-9_]{0,62}$/, "a PostgreSQL role name")
    .when("DB_IAM_AUTH", {
      is: true,
      then: Joi.required().messages({ "any.required": "DB_USER is required with DB_IAM_AUTH=true: the role to connect as" }),
      otherwise: Joi.forbidden().messages({ "any.unknown": "DB_USER is read only with DB_IAM_AUTH=true (with DB_SECRET_ARN the secret names the user)" }),
    }),
  DB_SECRET_ARN: Joi.string()
    .pattern(/^arn:/)
    .when("DB_IAM_AUTH", {
      is: true,
      then: Joi.forbidden().messages({ "any.unknown": "DB_SECRET_ARN and DB_IAM_AUTH=true exclude each other: a password or a token, not both" }),
      otherwise: Joi.when("DB_HOST", {
        is: Joi.exist(),
        then: Joi.required().messages({ "any.required": "DB_SECRET_ARN is required with DB_HOST, unless DB_IAM_AUTH=true with DB_USER" }),
      }),
    }),
  DB_SSL: Joi.string()
    .valid("verify", "off")
    .default("verify")
    .when("DB_IAM_AUTH", { is: true, then: Joi.valid(Joi.override, "verify").messages({ "any.only": "DB_SSL must be verify with DB_IAM_AUTH=true: RDS accepts IAM tokens over TLS only" }) }),
  DB_POOL_MAX: Joi.number().integer().min(1).max(100).default(10),
};

const unsubscribeKey = {
  UNSUBSCRIBE_SIGNING_KEY: Joi.string().min(32),
  UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: Joi.string().pattern(/^arn:/),
  UNSUBSCRIBE_SIGNING_KEY_PREVIOUS: Joi.string().min(32),
  UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN: Joi.string().pattern(/^arn:/),
};

const databaseSchema = Joi.object(common).xor("DATABASE_URL", "DB_HOST").unknown(true);

const apiSchema = Joi.object({
  ...common,
  ...unsubscribeKey,
  PORT: Joi.number().port().default(3000),
  HOST: Joi.string().hostname().default("127.0.0.1"),
  TRUST_PROXY_HOPS: Joi.number().integer().min(0).max(10).default(0),
  LOAD_BALANCER_IDLE_TIMEOUT_SECONDS: Joi.number().integer().min(1).max(4000).default(60), // the ALB's range
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ["http", "https"] }),
  SNS_TOPIC_ARN: Joi.string().pattern(/^arn:aws[a-z-]*:sns:/).required(),
  ADMIN_API_KEY: Joi.string().min(24),
  ADMIN_API_KEY_SECRET_ARN: Joi.string().pattern(/^arn:/),
  OUTBOX_SWEEP_INTERVAL_MS: Joi.number().integer().min(100).default(5000),
  // Longer than an SNS call with its retries can take: until then no other task republishes the batch.
  OUTBOX_LEASE_MS: Joi.number().integer().min(1000).default(30_000),
  RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
  RATE_LIMIT_PER_CLIENT: Joi.number().integer().min(1).default(300),
  RATE_LIMIT_VERIFY_PER_CLIENT: Joi.number().integer().min(1).default(20),
  RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(3600),
  RATE_LIMIT_REGISTRATIONS_PER_CLIENT: Joi.number().integer().min(1).default(10),
  PERSONAL_DATA_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(7),
  CORS_ORIGINS: Joi.string()
    .allow("")
    .default("")
    .pattern(/^\s*https?:\/\/[^/\s,]+(\s*,\s*https?:\/\/[^/\s,]+)*\s*$/, "comma-separated origins like https://shop.example.com"),
})
  .xor("DATABASE_URL", "DB_HOST")
  .xor("ADMIN_API_KEY", "ADMIN_API_KEY_SECRET_ARN")
  .xor("UNSUBSCRIBE_SIGNING_KEY", "UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN")
  .oxor("UNSUBSCRIBE_SIGNING_KEY_PREVIOUS", "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN")
  .unknown(true);

const campaignSchema = Joi.object({
  ...common,
  ...unsubscribeKey,
  SENDER_EMAIL: Joi.string().email({ tlds: { allow: false } }).required(),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ["http", "https"] }).required(),
  // A new production account's quota; the stacks pass the account's own.
  SES_MAX_SEND_RATE: Joi.number().positive().max(100_000).default(14),
  DEAD_LETTER_QUEUE_URL: Joi.string()
    .uri({ scheme: ["https", "http"] })
    .when("APP_ENV", { is: "local", otherwise: Joi.required() }),
  // Without it SES publishes no bounce or complaint, and a bouncing address would be mailed for ever.
  SES_CONFIGURATION_SET: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,64}$/, "an SES configuration set name (letters, digits, - and _)")
    .when("APP_ENV", { is: "local", otherwise: Joi.required() }),
  // A certificate anyone can serve must never be trusted in the cloud.
  LOCAL_SNS_CERT_URL_PREFIX: Joi.string()
    .uri({ scheme: ["http", "https"] })
    .pattern(/\/$/, "a URL ending in /")
    .when("APP_ENV", { is: "local", otherwise: Joi.forbidden() }),
  // Only the broadcast function needs it; it refuses to handle a message without it.
  BROADCAST_QUEUE_URL: Joi.string().uri({ scheme: ["https", "http"] }),
})
  .xor("DATABASE_URL", "DB_HOST")
  .xor("UNSUBSCRIBE_SIGNING_KEY", "UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN")
  .oxor("UNSUBSCRIBE_SIGNING_KEY_PREVIOUS", "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN")
  .unknown(true);

const localSchema = Joi.object({
  LOCAL_SNS_LATENCY_MS: Joi.number().integer().min(0).max(10_000).default(20),
  LOCAL_SES_LATENCY_MS: Joi.number().integer().min(0).max(10_000).default(50),
  LOCAL_SES_MAX_SEND_RATE: Joi.number().positive().max(100_000).default(14),
  LOCAL_TIME_SCALE: Joi.number().min(1).max(1000).default(10),
  LOCAL_FUNCTION_CONCURRENCY: Joi.number().integer().min(1).max(100).default(2),
}).unknown(true);

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
