/**
 * Data at rest and in configuration: messages encrypted (with keys that rotate), logs expiring, and
 * no secret value in a container's or function's environment (services get secrets' ARNs and read
 * them at run time).
 */
import { problemIf, resourcePolicy } from "./resource-policy";

/** Names of variables that hold a secret itself; `…_ARN` and `…_SECRET_ARN` only point to one. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|SIGNING_KEY|PRIVATE_KEY)$/i;
/** A URL with credentials in it, e.g. postgres://user:password@host/db. */
const CREDENTIALS_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

function plaintextSecretsIn(variables: Record<string, unknown>): string[] {
  return Object.entries(variables)
    .filter(([name, value]) => SECRET_NAME.test(name) || CREDENTIALS_IN_URL.test(String(value)))
    .map(([name]) => `environment variable ${name} holds a secret value; pass the secret's ARN and read it at run time`);
}

interface ContainerDefinition {
  environment?: { name: string; value: string }[];
}

export const dataPolicies = [
  resourcePolicy("sns-topic-encrypted", "SNS topics are encrypted at rest", {
    "aws:sns/topic:Topic": (topic) => problemIf(!topic.kmsMasterKeyId, "kmsMasterKeyId must name a KMS key (e.g. alias/aws/sns)"),
  }),
  resourcePolicy("sqs-queue-encrypted", "SQS queues are encrypted at rest", {
    "aws:sqs/queue:Queue": (q) => problemIf(q.sqsManagedSseEnabled !== true && !q.kmsMasterKeyId, "set sqsManagedSseEnabled or kmsMasterKeyId"),
  }),
  resourcePolicy("kms-keys-rotate", "Customer managed encryption keys rotate their key material", {
    "aws:kms/key:Key": (key) =>
      problemIf(
        (key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" && (key.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT" && key.enableKeyRotation !== true,
        "enableKeyRotation must be true (KMS rotates a symmetric key's material yearly, old material still decrypts)",
      ),
  }),
  resourcePolicy("log-groups-expire", "CloudWatch log groups have a retention period", {
    "aws:cloudwatch/logGroup:LogGroup": (g) => problemIf(!(g.retentionInDays > 0), "retentionInDays must be set: logs kept forever cost forever"),
  }),
  resourcePolicy("no-plaintext-secrets-in-environment", "Task definitions and functions receive secrets by reference only", {
    "aws:ecs/taskDefinition:TaskDefinition": (td) =>
      (JSON.parse(td.containerDefinitions ?? "[]") as ContainerDefinition[]).flatMap((c) =>
        plaintextSecretsIn(Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]))),
      ),
    "aws:lambda/function:Function": (fn) => plaintextSecretsIn(fn.environment?.variables ?? {}),
  }),
];
