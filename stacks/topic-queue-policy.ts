import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A queue policy letting SNS send to `queue` on behalf of `topicArn` only, and no one else. */
export function allowTopicToSend(name: string, queue: aws.sqs.Queue, topicArn: pulumi.Input<string>, parent: pulumi.Resource): aws.sqs.QueuePolicy {
  return new aws.sqs.QueuePolicy(
    name,
    {
      queueUrl: queue.url,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
          },
        ],
      }),
    },
    { parent },
  );
}
