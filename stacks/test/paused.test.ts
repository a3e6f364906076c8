import assert from "node:assert/strict";
import { RecordedResource } from "./support/recording-mocks";
import { functionEnvironmentOf } from "./support/service-environment";
import { committedStack, pausedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

/** What costs by the hour while running, and is gone while paused. */
const HOURLY = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/listener:Listener",
  "aws:lb/targetGroup:TargetGroup",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
];

/** What holds data (or a name something else holds on to): it must be neither replaced nor changed by a pause. */
const KEPT = [
  "aws:rds/instance:Instance",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "random:index/randomId:RandomId",
  "random:index/randomPassword:RandomPassword",
  "aws:secretsmanager/secret:Secret",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:ecr/repository:Repository",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:sns/topic:Topic",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:kms/key:Key",
  "aws:sesv2/configurationSet:ConfigurationSet",
  "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
  "aws:sqs/queue:Queue",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ecs/cluster:Cluster",
  "aws:iam/role:Role",
];

/** What the engine compares between two updates: the same type, name and inputs is no change at all. */
const identities = (s: StackUnderTest, type: string) =>
  s
    .ofType(type)
    .map((r: RecordedResource) => ({ name: r.name, inputs: r.inputs }))
    .sort((a, b) => a.name.localeCompare(b.name));

for (const stack of STACKS) {
  describe(`the ${stack} stack paused`, () => {
    let running: StackUnderTest;
    let paused: StackUnderTest;
    before(async () => {
      running = await committedStack(stack);
      paused = await pausedStack(stack);
    });

    it("when paused, then the load balancer, its listeners and target group, the API's service, task definition and autoscaling are gone", () => {
      for (const type of HOURLY) {
        assert.ok(running.ofType(type).length > 0, `${type} exists while running`);
        assert.deepEqual(paused.ofType(type), [], `${type} is gone while paused`);
      }
    });

    it("when paused, then the VPC has no NAT gateways, and only its NAT strategy differs from the running stack's", () => {
      const vpc = (s: StackUnderTest) => s.one("awsx:ec2:Vpc").inputs;

      assert.deepEqual(vpc(paused).natGateways, { strategy: "None" });
      assert.deepEqual(vpc(running).natGateways, { strategy: running.config.network.natGateways });
      assert.deepEqual({ ...vpc(paused), natGateways: undefined }, { ...vpc(running), natGateways: undefined });
    });

    it("when paused and resumed, then the database, secrets, images, topic, queues, log groups and firewall are the same resources with the same inputs: nothing is replaced", () => {
      for (const type of KEPT) {
        assert.ok(running.ofType(type).length > 0, `${type} exists`);
        assert.deepEqual(identities(paused, type), identities(running, type), type);
      }
    });

    it("when paused, then the welcome, broadcast and SES events queues' consumers are disabled, so messages wait in the queues, and their age alarms notify no one", () => {
      const enabled = (s: StackUnderTest) =>
        s
          .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
          .map((m) => [m.name, m.inputs.enabled])
          .sort();
      const ageAlarmsNotify = (s: StackUnderTest) =>
        ["-welcome-queue-age", "-broadcast-queue-age", "-ses-events-queue-age"].map((suffix) => s.one("aws:cloudwatch/metricAlarm:MetricAlarm", suffix).inputs.actionsEnabled);
      const mappings = ["-broadcast-queue-mapping", "-campaign-queue-mapping", "-ses-events-queue-mapping"].map((suffix) => `ecom-${stack}${suffix}`);

      assert.deepEqual(enabled(paused), mappings.map((name) => [name, false]));
      assert.deepEqual(enabled(running), mappings.map((name) => [name, true]));
      assert.deepEqual([ageAlarmsNotify(paused), ageAlarmsNotify(running)], [[false, false, false], [true, true, true]]);
    });

    it("when paused, then the outputs say so and hold no URL of the API; the rest stays", () => {
      const { apiUrl, swaggerUiUrl, loadBalancerDnsName, paused: isPaused, ...kept } = running.outputs;

      assert.equal(isPaused, false);
      assert.ok(apiUrl && swaggerUiUrl && loadBalancerDnsName);
      assert.equal(paused.outputs.paused, true);
      assert.deepEqual(
        Object.fromEntries(Object.entries(paused.outputs).filter(([key, value]) => key !== "paused" && value !== undefined)),
        kept,
      );
    });

    it("when paused, then the dashboard says so instead of graphing a load balancer and tasks that do not exist", () => {
      const body = JSON.stringify(JSON.parse(paused.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody));

      assert.match(body, /Paused/);
      assert.doesNotMatch(body, /AWS\/ApplicationELB|AWS\/ECS/);
    });
  });
}

describe("the campaign function of a paused stack", () => {
  it("when a stack with a domain is paused, then unsubscribe links keep the domain; without one, the function has no public URL until it resumes", async () => {
    const prod = await pausedStack("prod");
    const dev = await pausedStack("dev");

    assert.equal(functionEnvironmentOf(prod).PUBLIC_BASE_URL, `https://${prod.config.https!.domainName}`);
    assert.equal("PUBLIC_BASE_URL" in functionEnvironmentOf(dev), false);
  });
});
