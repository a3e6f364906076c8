import assert from "node:assert/strict";
import { ENVIRONMENT_DIMENSION, METRICS_NAMESPACE, OUTBOX_METRICS } from "../../shared/src/metrics";
import { OUTBOX_MAX_AGE_SECONDS, WELCOME_QUEUE_MAX_AGE_SECONDS } from "../pipeline-alarms";
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

    it("when the dashboard is opened, then it graphs the load balancer, tasks, database, function, queues and outbox of this stack", () => {
      const lb = `LoadBalancer=${s.one("aws:lb/loadBalancer:LoadBalancer").state.arnSuffix}`;
      const service = `ClusterName=${s.one("aws:ecs/cluster:Cluster").state.name} ServiceName=${s.one("aws:ecs/service:Service").state.name}`;
      const db = `DBInstanceIdentifier=${s.one("aws:rds/instance:Instance").state.identifier}`;
      const fn = `FunctionName=${s.one("aws:lambda/function:Function", "-campaign-fn").state.name}`;
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
        `AWS/Lambda Errors ${fn}`,
        `AWS/Lambda Throttles ${fn}`,
        `AWS/RDS CPUUtilization ${db}`,
        `AWS/RDS DatabaseConnections ${db}`,
        `AWS/RDS FreeStorageSpace ${db}`,
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName=${queueName("-welcome-queue")}`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=${queueName("-dlq")}`,
        `${METRICS_NAMESPACE} ${OUTBOX_METRICS.oldestAgeSeconds} ${env}`,
        `${METRICS_NAMESPACE} ${OUTBOX_METRICS.pending} ${env}`,
      ]);
      assert.equal(s.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, `ecom-${stack}-dashboard`);
    });
  });
}

describe("alarms with an alarm topic", () => {
  it("when the stack names an alarm topic, then every alarm notifies it, and again when it recovers", async () => {
    const s = await prodWithOptions();

    assert.equal(s.ofType(ALARM).length, 3);
    for (const a of s.ofType(ALARM)) {
      assert.deepEqual([a.inputs.alarmActions, a.inputs.okActions], [[OPTIONAL.alarmTopicArn], [OPTIONAL.alarmTopicArn]], a.name);
    }
  });
});
