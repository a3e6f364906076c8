/**
 * RDS PostgreSQL in the private subnets, never publicly accessible, storage encrypted, TLS forced,
 * the master password generated and rotated by RDS in Secrets Manager (only the migrator function
 * reads it, migrator-function.ts), IAM database authentication on for the services' own roles
 * (database-access.ts). Size, Multi-AZ, backups and protection come from stack config.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { POSTGRES_PORT } from "./security-groups";

const DATABASE_NAME = "ecom";

export interface DatabaseSettings {
  /** e.g. `db.t4g.micro`. */
  instanceClass: string;
  /** PostgreSQL major (`17`) or exact version; minor versions are upgraded by RDS. */
  engineVersion: string;
  allocatedStorageGb: number;
  /** Storage autoscaling ceiling. */
  maxAllocatedStorageGb: number;
  /** A synchronous standby in the other zone. */
  multiAz: boolean;
  /** Days of automated backups (point-in-time recovery). */
  backupRetentionDays: number;
  /** Refuse deletion, `pulumi destroy` included, until turned off. */
  deletionProtection: boolean;
  /** Keep a snapshot when the instance is deleted (else `pulumi destroy` is quick and leaves nothing). */
  finalSnapshot: boolean;
}

/** The database as its owner reaches it: the credentials it reads from `secretArn` at run time. */
export interface DatabaseConnection {
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  name: string;
  secretArn: pulumi.Input<string>;
}

/** The owner's connection as a process's environment (shared/src/config.ts); RDS requires TLS, so verified TLS. */
export function databaseEnvironment(db: DatabaseConnection): Record<string, pulumi.Input<string>> {
  return { DB_HOST: db.host, DB_PORT: pulumi.output(db.port).apply(String), DB_NAME: db.name, DB_SECRET_ARN: db.secretArn, DB_SSL: "verify" };
}

export interface DatabaseArgs extends DatabaseSettings {
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
}

export class Database extends pulumi.ComponentResource {
  /** `host:port`. */
  readonly endpoint: pulumi.Output<string>;
  /** The instance's identifier: the `DBInstanceIdentifier` dimension of its CloudWatch metrics. */
  readonly identifier: pulumi.Output<string>;
  /** Host, port, database and the RDS-managed secret holding the master user's `{ username, password }`. */
  readonly connection: DatabaseConnection & { secretArn: pulumi.Output<string> };
  /** The instance's ARN, and its `DbiResourceId`, which IAM database authentication names users by. */
  readonly arn: pulumi.Output<string>;
  readonly resourceId: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:database:Postgres", name, {}, opts);
    const major = args.engineVersion.split(".")[0];

    const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds }, { parent: this });
    // Explicit rather than relying on the engine default: connections without TLS are refused.
    const parameters = new aws.rds.ParameterGroup(
      `${name}-parameters`,
      { family: `postgres${major}`, parameters: [{ name: "rds.force_ssl", value: "1" }] },
      { parent: this },
    );
    // A new name per stack lifetime: a final snapshot left by an earlier stack must not block this one's.
    const snapshotSuffix = new random.RandomId(`${name}-final-snapshot-suffix`, { byteLength: 4 }, { parent: this });

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        engine: "postgres",
        engineVersion: args.engineVersion,
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: DATABASE_NAME,
        port: POSTGRES_PORT,
        username: "ecom_admin",
        manageMasterUserPassword: true,
        // The services log in as their own roles with IAM tokens (rds-db:connect), never with a password.
        iamDatabaseAuthenticationEnabled: true,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        publiclyAccessible: false,
        multiAz: args.multiAz,
        parameterGroupName: parameters.name,
        caCertIdentifier: "rds-ca-rsa2048-g1", // in the global bundle the API image and Lambda trust
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.finalSnapshot,
        finalSnapshotIdentifier: pulumi.interpolate`${name}-final-${snapshotSuffix.hex}`,
      },
      { parent: this },
    );

    this.endpoint = instance.endpoint;
    this.identifier = instance.identifier;
    this.arn = instance.arn;
    this.resourceId = instance.resourceId;
    this.connection = {
      host: instance.address,
      port: instance.port,
      name: DATABASE_NAME,
      secretArn: instance.masterUserSecrets.apply((secrets) => secrets[0].secretArn),
    };
    this.registerOutputs({ endpoint: this.endpoint, secretArn: this.connection.secretArn });
  }
}
