/**
 * The database stays private, encrypted and recoverable, and no password passes through code. The
 * services log in as their own roles with IAM tokens; the master password (the RDS-managed secret)
 * is read by the migrations' step alone, whose role does nothing else.
 */
import { list, Statement } from "./iam-policies";
import { Check, problemIf, resourcePolicy } from "./resource-policy";
import { LAMBDA_VPC_ACTIONS } from "./wildcard-actions";

const RDS_INSTANCE = "aws:rds/instance:Instance";
/** The master user's secret RDS creates and rotates (`manageMasterUserPassword`). */
const RDS_MANAGED_SECRET = /:secret:rds!/;
const READS_SECRETS = /^(\*|secretsmanager:\*|secretsmanager:GetSecretValue)$/i;
/** What the one role reading the master secret may do besides: write its logs and run in the VPC. */
const BESIDE_MASTER_SECRET = new Set(["logs:CreateLogStream", "logs:PutLogEvents", ...LAMBDA_VPC_ACTIONS]);

function masterSecretProblems(document: unknown): string[] {
  const parsed = (typeof document === "string" ? JSON.parse(document) : document) as { Statement?: Statement | Statement[] };
  const allowed = ([] as Statement[]).concat(parsed?.Statement ?? []).filter((s) => s.Effect === "Allow");
  const readsMaster = allowed.some((s) => list(s.Action).some((a) => READS_SECRETS.test(a)) && list(s.Resource).some((r) => RDS_MANAGED_SECRET.test(r)));
  if (!readsMaster) return [];
  const more = allowed.flatMap((s) =>
    list(s.Action).flatMap((action) => {
      if (READS_SECRETS.test(action)) return list(s.Resource).filter((r) => !RDS_MANAGED_SECRET.test(r)).map((r) => `${action} on ${r}`);
      return BESIDE_MASTER_SECRET.has(action) ? [] : [action];
    }),
  );
  return problemIf(
    more.length > 0,
    `reads the database's master secret and may also ${more.join(", ")}: only the migrations' step reads it, and it does nothing else (services log in with IAM tokens as their own roles)`,
  );
}

const documentCheck: Check = (props) => masterSecretProblems(props.policy);

interface ContainerDefinition {
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
}

function containerProblems(containerDefinitions: string | undefined): string[] {
  return (JSON.parse(containerDefinitions ?? "[]") as ContainerDefinition[]).flatMap((c) =>
    [...(c.environment ?? []).map((e) => [e.name, e.value]), ...(c.secrets ?? []).map((s) => [s.name, s.valueFrom])]
      .filter(([, value]) => RDS_MANAGED_SECRET.test(String(value)))
      .map(([name]) => `container ${name} names the database's master secret: services log in with IAM tokens as their own roles`),
  );
}

export const databasePolicies = [
  resourcePolicy("rds-not-public", "RDS instances are not publicly accessible", {
    [RDS_INSTANCE]: (db) => problemIf(db.publiclyAccessible === true, "publiclyAccessible must be false: reach the database from inside the VPC"),
  }),
  resourcePolicy("rds-storage-encrypted", "RDS storage is encrypted at rest", {
    [RDS_INSTANCE]: (db) => problemIf(db.storageEncrypted !== true, "storageEncrypted must be true"),
  }),
  resourcePolicy("rds-password-managed-by-rds", "RDS generates, stores and rotates the master password in Secrets Manager", {
    [RDS_INSTANCE]: (db) => [
      ...problemIf(db.manageMasterUserPassword !== true, "manageMasterUserPassword must be true"),
      ...problemIf(db.password !== undefined, "password must not be set: it would sit in the program and the Pulumi state"),
    ],
  }),
  resourcePolicy("rds-automated-backups", "RDS keeps automated backups for point-in-time recovery", {
    [RDS_INSTANCE]: (db) => problemIf(!((db.backupRetentionPeriod ?? 0) >= 1), "backupRetentionPeriod must be at least 1 day"),
  }),
  resourcePolicy("rds-iam-authentication", "Services log in to RDS with IAM tokens as their own roles", {
    [RDS_INSTANCE]: (db) =>
      problemIf(db.iamDatabaseAuthenticationEnabled !== true, "iamDatabaseAuthenticationEnabled must be true: services connect as their own roles with IAM tokens, not as the master user"),
  }),
  resourcePolicy("database-master-secret-migrations-only", "Only the migrations' step reads the database's master secret, and it does nothing else", {
    "aws:iam/rolePolicy:RolePolicy": documentCheck,
    "aws:iam/policy:Policy": documentCheck,
    "aws:iam/role:Role": (role) => (role.inlinePolicies ?? []).flatMap((p: { policy?: string }) => masterSecretProblems(p.policy ?? "{}")),
    "aws:ecs/taskDefinition:TaskDefinition": (td) => containerProblems(td.containerDefinitions),
  }),
];
