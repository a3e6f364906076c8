/**
 * The SNS topic SES publishes an environment's email events to, encrypted with a key of its own.
 * SES is an AWS service, not a principal of this account: the AWS-managed SNS key, whose policy no
 * one can edit, would refuse it. This key lets SES encrypt for this topic only, on behalf of this
 * account; the topic lets SES publish only for this environment's configuration set. No principal
 * of the account may decrypt with the key (subscribers receive plaintext from SNS); the account
 * administers it through IAM, which is how the deploy role manages it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const SES = "ses.amazonaws.com";

/** Administration, not use: AWS's key-administrator statement, without grants (which would hand out use). */
const KEY_ADMINISTRATION = [
  ...["CreateAlias", "Describe*", "Enable*", "List*", "Put*", "Update*", "Revoke*", "Disable*", "Get*", "Delete*"],
  ...["TagResource", "UntagResource", "ScheduleKeyDeletion", "CancelKeyDeletion", "RotateKeyOnDemand"],
].map((action) => `kms:${action}`);

/** Seven days, KMS's minimum: the key protects messages SNS holds for moments, nothing kept. */
const KEY_DELETION_WINDOW_DAYS = 7;

export interface SesEventsTopicArgs {
  /** The topic's name, fixed: the key's policy names the topic before the topic exists. */
  topicName: string;
  /** The configuration set whose events SES publishes to the topic. */
  configurationSetArn: pulumi.Output<string>;
}

export interface SesEventsTopic {
  topic: aws.sns.Topic;
  /** What SES needs in place before an event destination may name the topic. */
  access: pulumi.Resource[];
}

/** The topic (`name`), its key (`${name}-key`) and its policy (`${name}-topic-policy`). */
export function createSesEventsTopic(name: string, args: SesEventsTopicArgs, parent: pulumi.Resource): SesEventsTopic {
  // The configuration set's ARN names the partition, region and account everything here lives in.
  const [partition, region, account] = [1, 3, 4].map((i) => args.configurationSetArn.apply((arn) => arn.split(":")[i]));
  const topicArn = pulumi.interpolate`arn:${partition}:sns:${region}:${account}:${args.topicName}`;

  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: `Encrypts the SES events topic ${args.topicName}`,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` }, Action: KEY_ADMINISTRATION, Resource: "*" },
          {
            Sid: "SesEncryptsForThisTopic",
            Effect: "Allow",
            Principal: { Service: SES },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            // SNS names the topic in the encryption context of every data key it asks for.
            Condition: { StringEquals: { "aws:SourceAccount": account, "kms:EncryptionContext:aws:sns:topicArn": topicArn } },
          },
        ],
      }),
    },
    { parent },
  );
  const topic = new aws.sns.Topic(name, { name: args.topicName, kmsMasterKeyId: key.arn }, { parent });
  const policy = new aws.sns.TopicPolicy(
    `${name}-topic-policy`,
    {
      arn: topic.arn,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "SesPublishesThisConfigurationSetsEvents",
            Effect: "Allow",
            Principal: { Service: SES },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": account }, ArnEquals: { "aws:SourceArn": args.configurationSetArn } },
          },
        ],
      }),
    },
    { parent },
  );
  return { topic, access: [key, policy] };
}
