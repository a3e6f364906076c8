/**
 * The deploy's migration step: a Lambda function in the private subnets that applies the
 * migrations and the services' roles and grants as the database's owner (api/src/migrator-handler.ts),
 * and its invocation during `pulumi up` whenever the migrations or the grants change. The API's
 * service and the campaign function depend on that invocation, so new code never runs against an
 * old schema, and a failed migration fails the deploy before anything else changes. Its role alone
 * may read the RDS master secret. A paused stack runs nothing, so it invokes nothing (its private
 * subnets have no route to Secrets Manager then); resuming runs whatever changed meanwhile.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { schemaDigest } from "../api/migrator-bundle";
import { LAMBDA_CA_BUNDLE } from "./campaign-function";
import { DatabaseConnection, databaseEnvironment } from "./database";
import { createServiceRole, logStreamsOf } from "./iam";
import { LAMBDA_VPC_ACTIONS } from "./policy/wildcard-actions";

/** Long enough for a migration that rewrites a large table; Lambda allows 15 minutes. */
const TIMEOUT_SECONDS = 600;

export interface MigratorFunctionArgs {
  /** The bundled handler (`index.js` exporting `handler`, api/migrator-bundle.ts). */
  code: pulumi.Input<pulumi.asset.Archive>;
  appEnv: string;
  logLevel: string;
  logRetentionDays: number;
  /** Private subnets that reach Secrets Manager (through NAT) once the function is invoked. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Takes the function's network interfaces when it is deleted, so its own group can go at once. */
  replacementSecurityGroupId: pulumi.Input<string>;
  /** The database as its owner reaches it: the RDS master secret. */
  database: DatabaseConnection;
  /** No invocation while paused. Default: false. */
  paused?: boolean;
}

export class MigratorFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  /** The migration run of this deploy; what runs new code waits for it. Absent while paused. */
  readonly migrations?: aws.lambda.Invocation;

  constructor(name: string, args: MigratorFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:database:MigratorFunction", name, {}, opts);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${name}`, retentionInDays: args.logRetentionDays }, { parent: this });
    const roleArn = createServiceRole(
      `${name}-role`,
      "lambda.amazonaws.com",
      [
        { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logStreamsOf(logGroup)] },
        { actions: ["secretsmanager:GetSecretValue"], resources: [args.database.secretArn] },
        { actions: LAMBDA_VPC_ACTIONS, resources: ["*"] },
      ],
      this,
    );
    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: "Applies the database migrations and the services' roles and grants (invoked by pulumi up)",
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code: args.code,
        role: roleArn,
        memorySize: 256,
        timeout: TIMEOUT_SECONDS,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        replaceSecurityGroupsOnDestroy: true,
        replacementSecurityGroupIds: [args.replacementSecurityGroupId],
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name }, // the handler already logs JSON lines
        environment: {
          variables: {
            APP_ENV: args.appEnv,
            LOG_LEVEL: args.logLevel,
            ...databaseEnvironment(args.database),
            DB_POOL_MAX: "2", // the migration lock's connection, and the one Knex migrates on
            NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
          },
        },
      },
      { parent: this },
    );

    if (!args.paused) {
      const schema = pulumi.output(schemaDigest());
      // Invoked when created and whenever the triggers change; the deploy fails if the function does.
      this.migrations = new aws.lambda.Invocation(
        `${name}-run`,
        { functionName: fn.name, input: JSON.stringify({}), triggers: { schema } },
        { parent: this },
      );
    }
    this.functionName = fn.name;
    this.registerOutputs({ functionName: this.functionName });
  }
}
