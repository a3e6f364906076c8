/**
 * What SES tells an environment about its emails. Every email is sent with the environment's
 * configuration set; SES publishes each one's send, rejection, delivery, bounce and complaint to
 * the `ses-events` topic (ses-events-topic.ts), which delivers them in their SNS envelope (the
 * handler verifies SNS's signature) to a queue the SES events function consumes; what it cannot
 * handle ends in a dead-letter queue. The configuration set also keeps the environment's own
 * bounce and complaint rates (reputation metrics), beside the account's (account/).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createDeadLetterQueue } from "./dead-letter-queue";
import { createSesEventsTopic } from "./ses-events-topic";
import { createSubscribedQueue } from "./subscribed-queue";

/** The events SES publishes (SES's names): what the handler records, suppresses and counts. */
export const SES_EVENT_TYPES = ["SEND", "REJECT", "DELIVERY", "BOUNCE", "COMPLAINT"];

export interface SesEventsArgs {
  /** Fixed physical names: the configuration set is named in every send, the topic in its key's policy. */
  configurationSetName: string;
  topicName: string;
  /** The consuming function's timeout; the queue's visibility timeout is derived from it. */
  functionTimeoutSeconds: number;
}

export class SesEvents extends pulumi.ComponentResource {
  /** What the sending functions name (`SES_CONFIGURATION_SET`) and are allowed to send with. */
  readonly configurationSet: { name: pulumi.Output<string>; arn: pulumi.Output<string> };
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: SesEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:email:SesEvents", name, {}, opts);

    const configurationSet = new aws.sesv2.ConfigurationSet(
      `${name}-configuration-set`,
      { configurationSetName: args.configurationSetName, reputationOptions: { reputationMetricsEnabled: true } },
      { parent: this },
    );
    this.configurationSet = { name: configurationSet.configurationSetName, arn: configurationSet.arn };
    const { topic, access } = createSesEventsTopic(name, { topicName: args.topicName, configurationSetArn: configurationSet.arn }, this);
    new aws.sesv2.ConfigurationSetEventDestination(
      `${name}-destination`,
      {
        configurationSetName: configurationSet.configurationSetName,
        eventDestinationName: "ses-events-topic",
        eventDestination: { enabled: true, matchingEventTypes: SES_EVENT_TYPES, snsDestination: { topicArn: topic.arn } },
      },
      // SES can publish only once the topic's policy and key let it.
      { parent: this, dependsOn: access },
    );

    this.deadLetterQueue = createDeadLetterQueue(`${name}-dead-letters`, topic.arn, this);
    this.queue = createSubscribedQueue(
      name,
      { topicArn: topic.arn, deadLetterQueue: this.deadLetterQueue, functionTimeoutSeconds: args.functionTimeoutSeconds },
      this,
    );
    this.registerOutputs({ configurationSetName: this.configurationSet.name, queueUrl: this.queue.url });
  }
}
