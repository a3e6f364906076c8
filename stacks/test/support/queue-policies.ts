/** Who may send to the queues of a stack under test. */
import { RecordedResource } from "./recording-mocks";
import { StackUnderTest } from "./stack-under-test";

/** The one statement of a queue policy that lets SNS send, from `topicArn` only. */
export const snsMaySend = (queue: RecordedResource, topicArn: string) => [
  {
    Effect: "Allow",
    Principal: { Service: "sns.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: queue.state.arn,
    Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
  },
];

/** The statements of every policy of `queue` (a queue has one, or none). */
export const policiesOf = (s: StackUnderTest, queue: RecordedResource) =>
  s
    .ofType("aws:sqs/queuePolicy:QueuePolicy")
    .filter((p) => p.inputs.queueUrl === queue.state.url)
    .map((p) => JSON.parse(p.inputs.policy).Statement);
