/**
 * The only module that reads `process.env`. Each service loads its settings once at start-up;
 * anything missing or malformed stops the process with a message naming the variable.
 */
import Joi from "joi";

export type AppEnv = "local" | "dev" | "prod";

/** A secret given directly (local, tests) or by the ARN of a Secrets Manager secret (cloud). */
export type SecretSource = { value: string } | { secretArn: string };

export type DatabaseConfig =
  | { kind: "url"; url: string; poolMax: number }
  | { kind: "secret"; host: string; port: number; database: string; secretArn: string; ssl: boolean; poolMax: number };

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
  snsTopicArn: string;
  adminApiKey: SecretSource;
  outboxSweepIntervalMs: number;
  rateLimits: { windowMs: number; perClient: number; verifyPerClient: number };
  /** Browser origins allowed by CORS; empty means none (same-origin only). */
  corsOrigins: string[];
  /** Days copies of personal data kept for delivery (published outbox events) are kept. */
  personalDataRetentionDays: number;
}

export interface CampaignConfig extends CommonConfig {
  senderEmail: string;
  publicBaseUrl: string;
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
  DB_SECRET_ARN: Joi.string().pattern(/^arn:/).when("DB_HOST", { is: Joi.exist(), then: Joi.required() }),
  DB_SSL: Joi.string().valid("verify", "off").default("verify"),
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
  SNS_TOPIC_ARN: Joi.string().pattern(/^arn:aws[a-z-]*:sns:/).required(),
  ADMIN_API_KEY: Joi.string().min(24),
  ADMIN_API_KEY_SECRET_ARN: Joi.string().pattern(/^arn:/),
  OUTBOX_SWEEP_INTERVAL_MS: Joi.number().integer().min(100).default(5000),
  RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
  RATE_LIMIT_PER_CLIENT: Joi.number().integer().min(1).default(300),
  RATE_LIMIT_VERIFY_PER_CLIENT: Joi.number().integer().min(1).default(20),
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
})
  .xor("DATABASE_URL", "DB_HOST")
  .xor("UNSUBSCRIBE_SIGNING_KEY", "UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN")
  .oxor("UNSUBSCRIBE_SIGNING_KEY_PREVIOUS", "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN")
  .unknown(true);

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
  const database: DatabaseConfig =
    v.DATABASE_URL !== undefined
      ? { kind: "url", url: v.DATABASE_URL as string, poolMax }
      : {
          kind: "secret",
          host: v.DB_HOST as string,
          port: v.DB_PORT as number,
          database: v.DB_NAME as string,
          secretArn: v.DB_SECRET_ARN as string,
          ssl: v.DB_SSL === "verify",
          poolMax,
        };
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
    snsTopicArn: v.SNS_TOPIC_ARN as string,
    adminApiKey: secretSource(v, "ADMIN_API_KEY"),
    outboxSweepIntervalMs: v.OUTBOX_SWEEP_INTERVAL_MS as number,
    rateLimits: {
      windowMs: (v.RATE_LIMIT_WINDOW_SECONDS as number) * 1000,
      perClient: v.RATE_LIMIT_PER_CLIENT as number,
      verifyPerClient: v.RATE_LIMIT_VERIFY_PER_CLIENT as number,
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
  };
}
