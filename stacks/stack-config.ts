/**
 * The one place that reads a stack's configuration (`Pulumi.<stack>.yaml`). Every key is checked
 * once, before any resource is declared: a missing, misspelt or invalid key stops the program with
 * a message naming it, instead of surfacing as an AWS error half-way through `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import Joi from "joi";
import type { ApiServiceSettings } from "./api-service";
import type { BroadcastSettings, SesEventsSettings } from "./broadcasting";
import type { CampaignFunctionSettings } from "./campaign-function";
import type { DatabaseSettings } from "./database";
import type { HttpsSettings } from "./load-balancer";
import type { NetworkSettings } from "./network";

export interface StackConfig {
  region: string;
  appEnv: "dev" | "prod";
  /**
   * The long-lived account stack (`account/`) this environment reads through a StackReference:
   * the SES sender identity and whatever else must outlive this stack's `destroy`.
   */
  accountStack: string;
  /**
   * Paused: the data stays (database, secrets, images, queues), what costs by the hour goes
   * (Fargate tasks, NAT gateways, the load balancer). `pulumi up` with `false` resumes.
   */
  paused: boolean;
  /** Days personal data is kept where nothing needs it any more (published outbox events, …). */
  personalDataRetentionDays: number;
  /**
   * Generation of the unsubscribe signing key. Raising it rotates the key: links signed with the
   * previous generation keep working, since the services also accept the previous key.
   */
  unsubscribeKeyGeneration: number;
  logLevel: string;
  /** Days CloudWatch keeps the API's and the campaign function's logs. */
  logRetentionDays: number;
  /** Days a deleted generated secret can be restored; 0 deletes it at once. */
  secretRecoveryWindowDays: number;
  /** Whether `pulumi destroy` may delete the image repository while it still holds images. */
  ecrForceDelete: boolean;
  /** SNS topic (e.g. the on-call team's) the alarms notify (pipeline-alarms.ts). */
  alarmTopicArn?: string;
  network: NetworkSettings;
  api: ApiServiceSettings;
  https?: HttpsSettings;
  database: DatabaseSettings;
  campaign: CampaignFunctionSettings;
  /** The broadcast function: its own instances and timeout (defaults: 2, 300 s). */
  broadcast: BroadcastSettings;
  /** The function handling SES's bounce, complaint and delivery events (default: 2 instances). */
  sesEvents: SesEventsSettings;
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Fargate's CPU units and the memory sizes (MiB) each accepts. */
const FARGATE_MEMORY_BY_CPU: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

const count = Joi.number().integer().min(1).max(50).required();
/** Function instances an SQS event source mapping runs at once: Lambda accepts 2 to 1,000. */
const mappingConcurrency = Joi.number().integer().min(2).max(1000);

const api = Joi.object({
  cpu: Joi.number().valid(...Object.keys(FARGATE_MEMORY_BY_CPU).map(Number)).required(),
  memoryMb: Joi.number()
    .required()
    .custom((memory: number, helpers) => {
      const cpu = helpers.state.ancestors[0].cpu as number;
      const allowed = FARGATE_MEMORY_BY_CPU[cpu];
      return !allowed || allowed.includes(memory) ? memory : helpers.message({ custom: `{{#label}} must be one of [${allowed.join(", ")}] for cpu ${cpu}` });
    }),
  desiredCount: count,
  minCount: count,
  maxCount: count.min(Joi.ref("minCount")),
  cpuTargetPercent: Joi.number().integer().min(10).max(90).required(),
  containerInsights: Joi.boolean().required(),
  // The load balancer's idle timeout; the API keeps idle connections open longer (no 502s).
  idleTimeoutSeconds: Joi.number().integer().min(1).max(4000).default(60),
}).custom((value: ApiServiceSettings, helpers) =>
  value.desiredCount < value.minCount || value.desiredCount > value.maxCount
    ? helpers.message({ custom: "{{#label}}.desiredCount must lie between minCount and maxCount" })
    : value,
);

export const email = Joi.string().email({ tlds: { allow: false } });

/** The AWS provider's keys, as every stack of the repository sets them. */
export const AWS_PROVIDER_CONFIG = {
  "aws:region": Joi.string().pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region like us-east-1").required(),
  "aws:defaultTags": Joi.object({ tags: Joi.object().pattern(Joi.string(), Joi.string()).required() }),
};

function schema(project: string): Joi.ObjectSchema {
  const key = (name: string) => `${project}:${name}`;
  return Joi.object({
    ...AWS_PROVIDER_CONFIG,
    [key("appEnv")]: Joi.string().valid("dev", "prod").required(),
    [key("accountStack")]: Joi.string()
      .pattern(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, "a stack reference like organization/e_com-account/main")
      .required(),
    [key("paused")]: Joi.boolean().default(false),
    [key("personalDataRetentionDays")]: Joi.number().integer().min(1).max(3650).default(7),
    [key("unsubscribeKeyGeneration")]: Joi.number().integer().min(1).default(1),
    [key("logLevel")]: Joi.string().valid("fatal", "error", "warn", "info", "debug", "trace").required(),
    [key("logRetentionDays")]: Joi.number().valid(...LOG_RETENTION_DAYS).required(),
    [key("secretRecoveryWindowDays")]: Joi.number().valid(0, ...Array.from({ length: 24 }, (_, i) => i + 7)).required(),
    [key("ecrForceDelete")]: Joi.boolean().required(),
    [key("alarmTopicArn")]: Joi.string().pattern(/^arn:aws[a-z-]*:sns:/, "an SNS topic ARN"),
    [key("network")]: Joi.object({
      cidrBlock: Joi.string().ip({ version: ["ipv4"], cidr: "required" }).required(),
      natGateways: Joi.string().valid("Single", "OnePerAz").required(),
    }).required(),
    [key("api")]: api.required(),
    // Production carries personal data and the admin key: it is served over HTTPS or not at all.
    [key("https")]: Joi.object({
      certificateArn: Joi.string().pattern(/^arn:aws[a-z-]*:acm:/, "an ACM certificate ARN").required(),
      domainName: Joi.string().hostname().required(),
      // Optional: the stack keeps the domain's alias record on the load balancer (it changes on resume).
      hostedZoneId: Joi.string().pattern(/^Z[A-Z0-9]+$/, "a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ"),
    }).when(key("appEnv"), {
      is: "prod",
      then: Joi.required().messages({
        "any.required": `{{#label}} is required for appEnv prod (certificateArn and domainName): production is served over HTTPS only`,
      }),
    }),
    [key("database")]: Joi.object({
      instanceClass: Joi.string().pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class like db.t4g.micro").required(),
      engineVersion: Joi.string().pattern(/^1[4-9](\.\d+)?$/, "a PostgreSQL version like 17 or 17.4").required(),
      allocatedStorageGb: Joi.number().integer().min(20).max(65536).required(),
      maxAllocatedStorageGb: Joi.number().integer().min(Joi.ref("allocatedStorageGb")).max(65536).required(),
      multiAz: Joi.boolean().required(),
      backupRetentionDays: Joi.number().integer().min(1).max(35).required(),
      deletionProtection: Joi.boolean().required(),
      finalSnapshot: Joi.boolean().required(),
    }).required(),
    [key("campaign")]: Joi.object({
      senderEmail: email.required(),
      memoryMb: Joi.number().integer().min(128).max(10240).required(),
      timeoutSeconds: Joi.number().integer().min(3).max(900).required(),
      // Function instances the queue's event source mapping runs at once (Lambda's minimum is 2).
      maxConcurrency: mappingConcurrency.required(),
      // The account's SES sending quota, emails per second (the SES sandbox allows 1).
      sesMaxSendRate: Joi.number().positive().max(10000).required(),
      // Optional: a new account's concurrency limit (10) cannot spare any reservation. Below
      // maxConcurrency, the event source mapping's extra instances would only be throttled.
      reservedConcurrency: Joi.number()
        .integer()
        .max(1000)
        .min(Joi.ref("maxConcurrency"))
        .messages({ "number.min": "{{#label}} must be at least campaign.maxConcurrency: the queue runs that many instances at once" }),
    }).required(),
    // Optional, so that a stack file written before broadcasts still deploys (broadcasting.ts).
    [key("broadcast")]: Joi.object({
      maxConcurrency: mappingConcurrency.default(2),
      // A batch is up to 10 messages of 25 recipients each, sent at the SES rate welcome emails leave.
      timeoutSeconds: Joi.number().integer().min(3).max(900).default(300),
    }).default(),
    [key("sesEvents")]: Joi.object({ maxConcurrency: mappingConcurrency.default(2) }).default(),
  });
}

/**
 * Checks a stack's configuration as Pulumi hands it to a program (keys namespaced by project, like
 * `e_com:api`; structured values as JSON text, scalars as strings) against `schema`, and returns it
 * with defaults applied; a StackConfigError names every offending key.
 */
export function validatePulumiConfig(schema: Joi.ObjectSchema, raw: Record<string, string>, source: string) {
  const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
  const { error, value } = schema.validate(values, { abortEarly: false, convert: true, errors: { wrap: { label: false } } });
  if (error) {
    throw new StackConfigError(`Invalid stack configuration in ${source}: ${error.details.map((d) => d.message).join("; ")}`);
  }
  return value;
}

/** The environment stack's configuration, validated (`source` names the file in errors). */
export function parseStackConfig(raw: Record<string, string>, project: string, source: string): StackConfig {
  const value = validatePulumiConfig(schema(project), raw, source);
  const get = (name: string) => value[`${project}:${name}`];
  return {
    region: value["aws:region"],
    appEnv: get("appEnv"),
    accountStack: get("accountStack"),
    paused: get("paused"),
    personalDataRetentionDays: get("personalDataRetentionDays"),
    unsubscribeKeyGeneration: get("unsubscribeKeyGeneration"),
    logLevel: get("logLevel"),
    logRetentionDays: get("logRetentionDays"),
    secretRecoveryWindowDays: get("secretRecoveryWindowDays"),
    ecrForceDelete: get("ecrForceDelete"),
    alarmTopicArn: get("alarmTopicArn"),
    network: get("network"),
    api: get("api"),
    https: get("https"),
    database: get("database"),
    campaign: get("campaign"),
    broadcast: get("broadcast"),
    sesEvents: get("sesEvents"),
  };
}

/** The running stack's configuration, validated. */
export function readStackConfig(): StackConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), `Pulumi.${pulumi.getStack()}.yaml`);
}
