/**
 * The campaign service: a Lambda function in the private subnets, subscribed to the events topic
 * and invoked asynchronously by it (two retries, then the dead-letter queue), sending welcome
 * emails through SES from the configured sender.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConnection, databaseEnvironment } from "./database";
import { createServiceRole, logStreamsOf } from "./iam";
import { LAMBDA_VPC_ACTIONS } from "./policy/wildcard-actions";

/** Retries of a failed asynchronous invocation before the event goes to the dead-letter queue. */
const ASYNC_RETRY_ATTEMPTS = 2;
/** Lambda's CA bundle, which includes the RDS certificates (not loaded by default since Node.js 20). */
const LAMBDA_CA_BUNDLE = "/var/runtime/ca-cert.pem";

export interface CampaignFunctionSettings {
  /** The From address: the account stack's SES identity, or an address at its domain. */
  senderEmail: string;
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * Function instances the queue's event source mapping runs at once. Each holds up to two
   * database connections, so this caps what a burst takes from RDS; the rest waits in the queue.
   */
  maxConcurrency: number;
  /** The account's SES sending quota (emails per second); sending is paced to it. */
  sesMaxSendRate: number;
  /** Optional reservation (a new account's limit of 10 concurrent executions cannot spare one). */
  reservedConcurrency?: number;
}

export interface CampaignFunctionArgs extends CampaignFunctionSettings {
  /** The bundled handler (`index.js` exporting `handler`). */
  code: pulumi.Input<pulumi.asset.Archive>;
  appEnv: string;
  logLevel: string;
  logRetentionDays: number;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  database: DatabaseConnection;
  unsubscribeKeySecretArn: pulumi.Input<string>;
  /** The API's public URL, for unsubscribe links. */
  publicBaseUrl: pulumi.Input<string>;
  topic: aws.sns.Topic;
  deadLetterQueue: aws.sqs.Queue;
}

export class CampaignFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: CampaignFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:campaign:CampaignFunction", name, {}, opts);

    const identity = (resourceName: string, email: string) => new aws.sesv2.EmailIdentity(resourceName, { emailIdentity: email }, { parent: this });
    const identities = [
      identity(`${name}-sender`, args.senderEmail),
    ];
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${name}`, retentionInDays: args.logRetentionDays }, { parent: this });
    const roleArn = createServiceRole(
      `${name}-role`,
      "lambda.amazonaws.com",
      [
        { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logStreamsOf(logGroup)] },
        { actions: ["ses:SendEmail", "ses:SendRawEmail"], resources: identities.map((identity) => identity.arn) },
        { actions: ["secretsmanager:GetSecretValue"], resources: [args.database.secretArn, args.unsubscribeKeySecretArn] },
        // Lambda itself sends failed asynchronous invocations to the on-failure destination, as this role.
        { actions: ["sqs:SendMessage"], resources: [args.deadLetterQueue.arn] },
        { actions: LAMBDA_VPC_ACTIONS, resources: ["*"] },
      ],
      this,
    );

    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code: args.code,
        role: roleArn,
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name }, // the handler already logs JSON lines
        environment: {
          variables: {
            APP_ENV: args.appEnv,
            LOG_LEVEL: args.logLevel,
            ...databaseEnvironment(args.database),
            DB_POOL_MAX: "2", // one event at a time per environment: keep RDS connections for the API
            NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
            SENDER_EMAIL: args.senderEmail,
            PUBLIC_BASE_URL: args.publicBaseUrl,
            UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: args.unsubscribeKeySecretArn,
          },
        },
      },
      { parent: this },
    );
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: fn.name,
        maximumRetryAttempts: ASYNC_RETRY_ATTEMPTS,
        destinationConfig: { onFailure: { destination: args.deadLetterQueue.arn } },
      },
      { parent: this },
    );
    const permission = new aws.lambda.Permission(
      `${name}-invoke-from-topic`,
      { action: "lambda:InvokeFunction", function: fn.name, principal: "sns.amazonaws.com", sourceArn: args.topic.arn },
      { parent: this },
    );
    new aws.sns.TopicSubscription(
      `${name}-subscription`,
      {
        topic: args.topic.arn,
        protocol: "lambda",
        endpoint: fn.arn,
        // Deliveries SNS gives up on (e.g. the function throttled for hours) are kept, not dropped.
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: args.deadLetterQueue.arn }),
      },
      { parent: this, dependsOn: [permission] },
    );

    this.functionName = fn.name;
    this.registerOutputs({ functionName: this.functionName });
  }
}
