/**
 * The campaign service: a Lambda function in the private subnets consuming the welcome queue
 * through an event source mapping (batches, bounded concurrency, partial batch failures), sending
 * welcome emails through SES from the account stack's identity at the account's SES rate, with
 * the environment's configuration set. The bundle's other handlers (broadcasts, SES events) run
 * as functions of their own built the same way, each on its own queue (broadcasting.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { queueSettings } from "../shared/src/queue-settings";
import { ServiceDatabaseAccess } from "./database-access";
import { createServiceRole, Grant, logStreamsOf } from "./iam";
import { LAMBDA_VPC_ACTIONS } from "./policy/wildcard-actions";

/** Lambda's CA bundle, which includes the RDS certificates (not loaded by default since Node.js 20). */
export const LAMBDA_CA_BUNDLE = "/var/runtime/ca-cert.pem";

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
  /** Optional reservation (a new account's limit of 10 concurrent executions cannot spare one). Default: none. */
  reservedConcurrency?: number;
}

export interface CampaignFunctionArgs extends CampaignFunctionSettings {
  /** The bundled handlers (`index.js`). */
  code: pulumi.Input<pulumi.asset.Archive>;
  /** The bundle's export this function runs (`index.<handler>`). Default: `handler`, the welcome queue's. */
  handler?: string;
  /**
   * Whether the function may send email (`ses:SendRawEmail`). Default: true. Its environment and
   * secrets stay the same either way: every handler of the bundle loads the one campaign service
   * configuration (shared/src/config.ts).
   */
  sendsEmail?: boolean;
  /** The configuration set every email is sent with: its events feed bounce and complaint handling. */
  sesConfigurationSet: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** What the function may do beyond its queue, and the variables that say where. Default: none. */
  grants?: Grant[];
  environment?: Record<string, pulumi.Input<string>>;
  appEnv: string;
  logLevel: string;
  logRetentionDays: number;
  /** The identities `ses:SendRawEmail` may use: the sender's, and sandbox recipients'. */
  sesIdentityArns: string[];
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Takes the function's network interfaces when it is deleted, so its own group can go at once. */
  replacementSecurityGroupId: pulumi.Input<string>;
  /** As the function's own database role (IAM authentication). */
  database: ServiceDatabaseAccess;
  unsubscribeKeySecretArn: pulumi.Input<string>;
  /** The key before the last rotation; none before the first. */
  previousUnsubscribeKeySecretArn?: pulumi.Input<string>;
  /** The API's public URL, for unsubscribe links; none while a stack without a domain is paused. */
  publicBaseUrl?: pulumi.Input<string>;
  queue: aws.sqs.Queue;
  deadLetterQueue: aws.sqs.Queue;
  /** The event source mapping is disabled: messages wait in the queue. Default: false. */
  paused?: boolean;
}

export class CampaignFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: CampaignFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:campaign:CampaignFunction", name, {}, opts);
    const settings = queueSettings(args.timeoutSeconds);
    const unsubscribeKeys = [args.unsubscribeKeySecretArn, ...(args.previousUnsubscribeKeySecretArn ? [args.previousUnsubscribeKeySecretArn] : [])];

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${name}`, retentionInDays: args.logRetentionDays }, { parent: this });
    const roleArn = createServiceRole(
      `${name}-role`,
      "lambda.amazonaws.com",
      [
        { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logStreamsOf(logGroup)] },
        // SES authorizes a send on the identities and on the configuration set it names.
        ...(args.sendsEmail !== false ? [{ actions: ["ses:SendRawEmail"], resources: [...args.sesIdentityArns, args.sesConfigurationSet.arn] }] : []),
        args.database.connectGrant,
        { actions: ["secretsmanager:GetSecretValue"], resources: unsubscribeKeys },
        // What the event source mapping does as this role.
        {
          actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          resources: [args.queue.arn],
        },
        // A message that can never be handled is moved to the dead-letter queue by the function itself.
        { actions: ["sqs:SendMessage"], resources: [args.deadLetterQueue.arn] },
        ...(args.grants ?? []),
        { actions: LAMBDA_VPC_ACTIONS, resources: ["*"] },
      ],
      this,
    );

    const variables: Record<string, pulumi.Input<string>> = {
      APP_ENV: args.appEnv,
      LOG_LEVEL: args.logLevel,
      ...args.database.environment,
      DB_POOL_MAX: "2", // per function instance: maxConcurrency instances hold at most twice as many connections
      NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
      SENDER_EMAIL: args.senderEmail,
      SES_MAX_SEND_RATE: String(args.sesMaxSendRate),
      SES_CONFIGURATION_SET: args.sesConfigurationSet.name,
      DEAD_LETTER_QUEUE_URL: args.deadLetterQueue.url,
      UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: args.unsubscribeKeySecretArn,
      ...args.environment,
    };
    if (args.previousUnsubscribeKeySecretArn) variables.UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN = args.previousUnsubscribeKeySecretArn;
    if (args.publicBaseUrl) variables.PUBLIC_BASE_URL = args.publicBaseUrl;

    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: `index.${args.handler ?? "handler"}`,
        code: args.code,
        role: roleArn,
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        // Lambda releases a deleted function's network interfaces slowly; moved to another group,
        // they no longer hold the function's group, so `destroy` deletes it without waiting.
        replaceSecurityGroupsOnDestroy: true,
        replacementSecurityGroupIds: [args.replacementSecurityGroupId],
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name }, // the handler already logs JSON lines
        environment: { variables },
      },
      { parent: this },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-queue-mapping`,
      {
        eventSourceArn: args.queue.arn,
        functionName: fn.arn,
        enabled: !args.paused,
        batchSize: settings.batchSize,
        // Each registration's email goes out as soon as it arrives rather than waiting for a fuller batch.
        maximumBatchingWindowInSeconds: 0,
        scalingConfig: { maximumConcurrency: args.maxConcurrency },
        // Only the failed records of a batch return to the queue.
        functionResponseTypes: ["ReportBatchItemFailures"],
      },
      { parent: this },
    );

    this.functionName = fn.name;
    this.registerOutputs({ functionName: this.functionName });
  }
}
