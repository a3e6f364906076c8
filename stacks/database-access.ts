/**
 * How each service reaches the database: as its own PostgreSQL role (shared/src/database-roles.ts,
 * granted in api/src/database-roles/), logging in with IAM authentication tokens its AWS role signs.
 * A service's AWS role may connect as its own database user only (`rds-db:connect` on that one
 * `dbuser`) and never reads the master secret: that is the migrator function's alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatabaseRole } from "../shared/src/database-roles";
import { Database } from "./database";
import { Grant } from "./iam";

export interface ServiceDatabaseAccess {
  /** The variables shared/src/config.ts reads: the endpoint, the user, IAM tokens over verified TLS. */
  environment: Record<string, pulumi.Input<string>>;
  /** What the service's AWS role needs to log in: `rds-db:connect` as its user, nothing else. */
  connectGrant: Grant;
}

/** The database as `user` reaches it. */
export function serviceDatabaseAccess(database: Pick<Database, "connection" | "arn" | "resourceId">, user: DatabaseRole): ServiceDatabaseAccess {
  const { host, port, name } = database.connection;
  // IAM names a database user by the instance's DbiResourceId, in the instance's partition, region and account.
  const dbUserArn = pulumi.all([database.arn, database.resourceId]).apply(([instanceArn, resourceId]) => {
    const [, partition, , region, account] = instanceArn.split(":");
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;
  });
  return {
    environment: { DB_HOST: host, DB_PORT: pulumi.output(port).apply(String), DB_NAME: name, DB_USER: user, DB_IAM_AUTH: "true", DB_SSL: "verify" },
    connectGrant: { actions: ["rds-db:connect"], resources: [dbUserArn] },
  };
}
