import assert from "node:assert/strict";
import { ENVIRONMENT_DIMENSION, METRICS_NAMESPACE, OUTBOX_METRICS } from "../../shared/src/metrics";
import { BROADCAST_STALL_SECONDS, SES_EVENTS_QUEUE_MAX_AGE_SECONDS } from "../broadcast-alarms";
import { OUTBOX_MAX_AGE_SECONDS, WELCOME_QUEUE_MAX_AGE_SECONDS } from "../pipeline-alarms";
import { REPUTATION_ALARM_THRESHOLDS } from "../ses-reputation";
import { committedStack, OPTIONAL, prodWithOptions, STACKS, StackUnderTest } from "./support/stack-under-test";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Every metric line of the dashboard as `namespace metric dimension=value…`. */
function dashboardMetrics(s: StackUnderTest): string[] {
  const body = JSON.parse(s.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
  return body.widgets
    .filter((w: { type: string }) => w.type === "metric")
    .flatMap((w: { properties: { metrics: unknown[][] } }) => w.properties.metrics)
    .map((line: unknown[]) => {
      const [namespace, metric, ...rest] = line.filter((part) => typeof part === "string") as string[];
      const dimensions = Array.from({ length: rest.length / 2 }, (_, i) => `${rest[2 * i]}=${rest[2 * i + 1]}`);
      return [namespace, metric, ...dimensions].join(" ");
    });
}

for (const stack of STACKS) {
  describe(`alarms and dashboard of the ${stack} stack`, () => {
    let s: StackUnderTest;
    const alarm = (suffix: string) => s.one(ALARM, suffix).inputs;
    const queueName = (suffix: string) => s.one("aws:sqs/queue:Queue", suffix).state.name;
    before(async () => {
      s = await committedStack(stack);
    });

    it("when the API's outbox holds an event unpublished for five minutes, then an alarm fires on the metric the API logs as EMF for this environment", () => {
      const outbox = alarm("-outbox-backlog");

      assert.deepEqual(
        [outbox.namespace, outbox.metricName, outbox.dimensions, outbox.statistic, outbox.comparisonOperator, outbox.threshold],
        [METRICS_NAMESPACE, OUTBOX_METRICS.oldestAgeSeconds, { [ENVIRONMENT_DIMENSION]: stack }, "Maximum", "GreaterThanThreshold", OUTBOX_MAX_AGE_SECONDS],
      );
      assert.deepEqual([METRICS_NAMESPACE, ENVIRONMENT_DIMENSION, OUTBOX_MAX_AGE_SECONDS], ["e_com", "Environment", 300]);
    });

    it("when a welcome email has waited in the queue for fifteen minutes, then an alarm fires", () => {
      const age = alarm("-welcome-queue-age");

      assert.deepEqual(
        [age.namespace, age.metricName, age.dimensions, age.comparisonOperator, age.threshold],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queueName("-welcome-queue") }, "GreaterThanThreshold", WELCOME_QUEUE_MAX_AGE_SECONDS],
      );
      assert.equal(WELCOME_QUEUE_MAX_AGE_SECONDS, 900);
    });

    it("when the dead-letter queue holds a message, then an alarm fires", () => {
      const dlq = alarm("-dlq-not-empty");

      assert.deepEqual(
        [dlq.namespace, dlq.metricName, dlq.dimensions, dlq.comparisonOperator, dlq.threshold],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queueName("-dlq") }, "GreaterThanThreshold", 0],
      );
    });

    it("when the stack names no alarm topic, then the alarms notify no one (they show in the console)", () => {
      for (const a of s.ofType(ALARM)) assert.deepEqual(a.inputs.alarmActions, [], a.name);
    });

    it("when the dashboard is opened, then it graphs the load balancer, tasks, database, functions, queues, outbox and SES rates of this stack", () => {
      const lb = `LoadBalancer=${s.one("aws:lb/loadBalancer:LoadBalancer").state.arnSuffix}`;
      const service = `ClusterName=${s.one("aws:ecs/cluster:Cluster").state.name} ServiceName=${s.one("aws:ecs/service:Service").state.name}`;
      const db = `DBInstanceIdentifier=${s.one("aws:rds/instance:Instance").state.identifier}`;
      const fn = `FunctionName=${s.one("aws:lambda/function:Function", "-campaign-fn").state.name}`;
      const broadcastFn = `FunctionName=${s.one("aws:lambda/function:Function", "-broadcast-fn").state.name}`;
      const sesEventsFn = `FunctionName=${s.one("aws:lambda/function:Function", "-ses-events-fn").state.name}`;
      const configurationSet = `ses:configuration-set=${s.one("aws:sesv2/configurationSet:ConfigurationSet").inputs.configurationSetName}`;
      const env = `${ENVIRONMENT_DIMENSION}=${stack}`;

      assert.deepEqual(dashboardMetrics(s).sort(), [
        `AWS/ApplicationELB HTTPCode_ELB_5XX_Count ${lb}`,
        `AWS/ApplicationELB HTTPCode_Target_5XX_Count ${lb}`,
        `AWS/ApplicationELB RequestCount ${lb}`,
        `AWS/ApplicationELB TargetResponseTime ${lb}`,
        `AWS/ApplicationELB TargetResponseTime ${lb}`,
        `AWS/ECS CPUUtilization ${service}`,
        `AWS/ECS MemoryUtilization ${service}`,
        `AWS/Lambda Duration ${fn}`,
        `AWS/Lambda Duration ${fn}`,
        `AWS/Lambda Duration ${fn}`,
        `AWS/Lambda Errors ${broadcastFn}`,
        `AWS/Lambda Errors ${fn}`,
        `AWS/Lambda Errors ${sesEventsFn}`,
        `AWS/Lambda Throttles ${broadcastFn}`,
        `AWS/Lambda Throttles ${fn}`,
        `AWS/Lambda Throttles ${sesEventsFn}`,
        `AWS/RDS CPUUtilization ${db}`,
        `AWS/RDS DatabaseConnections ${db}`,
        `AWS/RDS FreeStorageSpace ${db}`,
        `AWS/SES Reputation.BounceRate ${configurationSet}`,
        `AWS/SES Reputation.ComplaintRate ${configurationSet}`,
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName=${queueName("-broadcast-queue")}`,
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName=${queueName("-ses-events-queue")}`,
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName=${queueName("-welcome-queue")}`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=${queueName("-broadcast-dead-letters")}`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=${queueName("-broadcast-queue")}`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=${queueName("-dlq")}`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=${queueName("-ses-events-dead-letters")}`,
        `AWS/SQS NumberOfMessagesDeleted QueueName=${queueName("-broadcast-queue")}`,
        `AWS/SQS NumberOfMessagesDeleted QueueName=${queueName("-ses-events-queue")}`,
        `${METRICS_NAMESPACE} ${OUTBOX_METRICS.oldestAgeSeconds} ${env}`,
        `${METRICS_NAMESPACE} ${OUTBOX_METRICS.pending} ${env}`,
      ]);
      assert.equal(s.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, `ecom-${stack}-dashboard`);
    });

    it("when the dashboard graphs this environment's bounce and complaint rates, then the account's alarm thresholds are drawn on them", () => {
      const body = JSON.parse(s.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
      const rates = body.widgets.find((w: { properties: { title?: string } }) => /^Bounce rate and complaint rate/.test(w.properties.title ?? ""));

      assert.deepEqual(rates.properties.annotations.horizontal, [
        { label: "account bounce alarm", value: REPUTATION_ALARM_THRESHOLDS.bounceRate },
        { label: "account complaint alarm", value: REPUTATION_ALARM_THRESHOLDS.complaintRate, yAxis: "right" },
      ]);
    });

    it("when broadcast messages wait over fifteen minutes and none is handled for three five-minute periods, then an alarm fires; a long broadcast that keeps moving does not", () => {
      const stalled = alarm("-broadcast-queue-age");
      const [age, handled, expression] = stalled.metricQueries;
      const queue = { QueueName: queueName("-broadcast-queue") };

      assert.deepEqual(
        [age.metric, handled.metric],
        [
          { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: queue, stat: "Maximum", period: 300 },
          { namespace: "AWS/SQS", metricName: "NumberOfMessagesDeleted", dimensions: queue, stat: "Sum", period: 300 },
        ],
      );
      assert.equal(expression.expression, `IF(${age.id} > ${BROADCAST_STALL_SECONDS} AND FILL(${handled.id}, 0) == 0, 1, 0)`);
      assert.equal(expression.returnData, true);
      assert.deepEqual([stalled.comparisonOperator, stalled.threshold, stalled.evaluationPeriods], ["GreaterThanOrEqualToThreshold", 1, 3]);
      assert.equal(BROADCAST_STALL_SECONDS, 900);
    });

    it("when an SES event has waited in its queue for fifteen minutes, then an alarm fires", () => {
      const age = alarm("-ses-events-queue-age");

      assert.deepEqual(
        [age.namespace, age.metricName, age.dimensions, age.comparisonOperator, age.threshold],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queueName("-ses-events-queue") }, "GreaterThanThreshold", SES_EVENTS_QUEUE_MAX_AGE_SECONDS],
      );
    });

    for (const queue of ["broadcast", "ses-events"]) {
      it(`when the ${queue} dead-letter queue holds a message, then an alarm fires`, () => {
        const dlq = alarm(`-${queue}-dead-letters-not-empty`);

        assert.deepEqual(
          [dlq.namespace, dlq.metricName, dlq.dimensions, dlq.comparisonOperator, dlq.threshold],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queueName(`-${queue}-dead-letters`) }, "GreaterThanThreshold", 0],
        );
      });
    }
  });
}

describe("alarms with an alarm topic", () => {
  it("when the stack names an alarm topic, then every alarm notifies it, and again when it recovers", async () => {
    const s = await prodWithOptions();

    assert.equal(s.ofType(ALARM).length, 7);
    for (const a of s.ofType(ALARM)) {
      assert.deepEqual([a.inputs.alarmActions, a.inputs.okActions], [[OPTIONAL.alarmTopicArn], [OPTIONAL.alarmTopicArn]], a.name);
    }
  });
});
