/** The database stays private, encrypted and recoverable, and no password passes through code. */
import { problemIf, resourcePolicy } from "./resource-policy";

const RDS_INSTANCE = "aws:rds/instance:Instance";

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
];
