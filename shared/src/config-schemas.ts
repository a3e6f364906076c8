/**
 * The environment variables each process reads, their rules and defaults, as Joi schemas: what
 * `config.ts` validates `process.env` against. A rule's message names its variable.
 */
import Joi from "joi";

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

export const databaseSchema = Joi.object(common).xor("DATABASE_URL", "DB_HOST").unknown(true);

export const apiSchema = Joi.object({
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

export const campaignSchema = Joi.object({
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

export const localSchema = Joi.object({
  LOCAL_SNS_LATENCY_MS: Joi.number().integer().min(0).max(10_000).default(20),
  LOCAL_SES_LATENCY_MS: Joi.number().integer().min(0).max(10_000).default(50),
  LOCAL_SES_MAX_SEND_RATE: Joi.number().positive().max(100_000).default(14),
  LOCAL_TIME_SCALE: Joi.number().min(1).max(1000).default(10),
  LOCAL_FUNCTION_CONCURRENCY: Joi.number().integer().min(1).max(100).default(2),
}).unknown(true);
