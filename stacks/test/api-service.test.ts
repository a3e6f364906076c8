import assert from "node:assert/strict";
import path from "node:path";
import { API_PORT } from "../api-container";
import { IMAGE_PLATFORM } from "../container-image";
import { READINESS_PATH } from "../load-balancer";
import { MOCK_PRIVATE_SUBNETS, MOCK_PUBLIC_SUBNETS, MOCK_REGION } from "./support/recording-mocks";
import { apiContainerOf, apiEnvironmentOf } from "./support/service-environment";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const ROOT = path.resolve(__dirname, "..", "..");
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";

for (const stack of STACKS) {
  describe(`API service of the ${stack} stack`, () => {
    let s: StackUnderTest;
    before(async () => {
      s = await committedStack(stack);
    });

    it("when the stack is built, then the image is built from the repository's Dockerfile, by absolute path, for linux/amd64 and pushed to the stack's repository under one moving tag", () => {
      const repository = s.one("aws:ecr/repository:Repository");
      const image = s.one("awsx:ecr:Image");

      assert.deepEqual(image.inputs, {
        repositoryUrl: repository.state.repositoryUrl,
        context: ROOT,
        dockerfile: path.join(ROOT, "Dockerfile"),
        platform: IMAGE_PLATFORM,
        imageTag: "latest",
      });
      assert.equal(IMAGE_PLATFORM, "linux/amd64");
      assert.equal(repository.inputs.forceDelete, s.config.ecrForceDelete);
      assert.equal(repository.inputs.forceDelete, stack === "dev", "only dev's repository may be deleted with its images");
      assert.equal(repository.inputs.imageScanningConfiguration.scanOnPush, true);
      assert.equal(apiContainerOf(s).image, image.state.imageUri);
    });

    it("when the stack is built, then the task runs on Fargate with the CPU and memory of the stack config", () => {
      const task = s.one(TASK_DEFINITION).inputs;

      assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
      assert.equal(task.networkMode, "awsvpc");
      assert.deepEqual([task.cpu, task.memory], [String(s.config.api.cpu), String(s.config.api.memoryMb)]);
      assert.equal(task.runtimePlatform.cpuArchitecture, "X86_64");
      assert.equal(task.executionRoleArn, s.one("aws:iam/role:Role", "-api-execution-role").state.arn);
      assert.equal(task.taskRoleArn, s.one("aws:iam/role:Role", "-api-task-role").state.arn);
    });

    it("when the stack is built, then the container gets exactly the environment the API reads, wired to this stack's resources", () => {
      const database = s.one("aws:rds/instance:Instance").state;

      assert.deepEqual(apiEnvironmentOf(s), {
        APP_ENV: stack,
        LOG_LEVEL: s.config.logLevel,
        AWS_REGION: MOCK_REGION,
        HOST: "0.0.0.0",
        PORT: "3000",
        TRUST_PROXY_HOPS: "1",
        LOAD_BALANCER_IDLE_TIMEOUT_SECONDS: String(s.config.api.idleTimeoutSeconds),
        PUBLIC_BASE_URL: s.outputs.apiUrl,
        PERSONAL_DATA_RETENTION_DAYS: String(s.config.personalDataRetentionDays),
        DB_HOST: database.address,
        DB_PORT: "5432",
        DB_NAME: "ecom",
        DB_USER: "ecom_api",
        DB_IAM_AUTH: "true",
        DB_SSL: "verify",
        SNS_TOPIC_ARN: s.one("aws:sns/topic:Topic", "-events-topic").state.arn,
        ADMIN_API_KEY_SECRET_ARN: s.one("aws:secretsmanager/secret:Secret", "-admin-api-key").state.arn,
        UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: s.one("aws:secretsmanager/secret:Secret", "-unsubscribe-signing-key-current").state.arn,
      });
      assert.equal(apiContainerOf(s).secrets, undefined, "secrets are read by the application, not injected");
    });

    it("when the stack is built, then the load balancer's idle timeout is the one the API derives its keep-alive from", () => {
      assert.equal(s.one("aws:lb/loadBalancer:LoadBalancer").inputs.idleTimeout, s.config.api.idleTimeoutSeconds);
      assert.equal(apiEnvironmentOf(s).LOAD_BALANCER_IDLE_TIMEOUT_SECONDS, String(s.config.api.idleTimeoutSeconds));
    });

    it("when the stack is built, then the container logs through awslogs into the API's log group, kept as long as the stack config says", () => {
      const logGroup = s.one("aws:cloudwatch/logGroup:LogGroup", "-api-logs");

      assert.deepEqual(apiContainerOf(s).logConfiguration, {
        logDriver: "awslogs",
        options: { "awslogs-group": logGroup.state.name, "awslogs-region": MOCK_REGION, "awslogs-stream-prefix": "api" },
      });
      assert.equal(logGroup.inputs.retentionInDays, s.config.logRetentionDays);
      assert.equal(logGroup.inputs.retentionInDays, { dev: 7, prod: 365 }[stack]);
    });

    it("when the stack is built, then the service runs in the private subnets without public IPs, behind the load balancer", () => {
      const service = s.one(SERVICE).inputs;

      assert.equal(service.launchType, "FARGATE");
      assert.deepEqual(service.networkConfiguration, {
        subnets: MOCK_PRIVATE_SUBNETS,
        securityGroups: [s.one("aws:ec2/securityGroup:SecurityGroup", "-sg-api").id],
        assignPublicIp: false,
      });
      assert.deepEqual(service.loadBalancers, [
        { targetGroupArn: s.one("aws:lb/targetGroup:TargetGroup").state.arn, containerName: "api", containerPort: API_PORT },
      ]);
      assert.equal(service.taskDefinition, s.one(TASK_DEFINITION).state.arn);
      assert.equal(service.cluster, s.one("aws:ecs/cluster:Cluster").state.arn);
    });

    it("when a deployment fails, then the circuit breaker rolls it back and `pulumi up` waits to see it", () => {
      const service = s.one(SERVICE).inputs;

      assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
      assert.equal(service.waitForSteadyState, true);
      assert.equal(service.deploymentMinimumHealthyPercent, 100);
    });

    it("when load changes, then CPU target tracking scales the service between the stack's bounds", () => {
      const target = s.one("aws:appautoscaling/target:Target").inputs;
      const policy = s.one("aws:appautoscaling/policy:Policy").inputs;
      const { desiredCount, minCount, maxCount, cpuTargetPercent } = s.config.api;

      assert.equal(s.one(SERVICE).inputs.desiredCount, desiredCount);
      assert.deepEqual([target.minCapacity, target.maxCapacity], [minCount, maxCount]);
      assert.deepEqual([target.minCapacity, target.maxCapacity], { dev: [1, 2], prod: [2, 6] }[stack]);
      assert.equal(target.resourceId, `service/${s.one("aws:ecs/cluster:Cluster").state.name}/${s.one(SERVICE).state.name}`);
      assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
      assert.equal(policy.resourceId, target.resourceId);
      assert.equal(policy.policyType, "TargetTrackingScaling");
      assert.deepEqual(policy.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification, {
        predefinedMetricType: "ECSServiceAverageCPUUtilization",
      });
      assert.equal(policy.targetTrackingScalingPolicyConfiguration.targetValue, cpuTargetPercent);
    });

    it("when the stack is built, then Container Insights is on only where the stack config turns it on (prod)", () => {
      assert.deepEqual(s.one("aws:ecs/cluster:Cluster").inputs.settings, [
        { name: "containerInsights", value: { dev: "disabled", prod: "enabled" }[stack] },
      ]);
    });

    it("when the stack is built, then the internet-facing load balancer checks task readiness on /health/ready", () => {
      const alb = s.one("aws:lb/loadBalancer:LoadBalancer").inputs;
      const targetGroup = s.one("aws:lb/targetGroup:TargetGroup");

      assert.deepEqual([alb.internal, alb.subnets, alb.securityGroups], [false, MOCK_PUBLIC_SUBNETS, [s.one("aws:ec2/securityGroup:SecurityGroup", "-sg-alb").id]]);
      assert.deepEqual([targetGroup.inputs.targetType, targetGroup.inputs.port, targetGroup.inputs.healthCheck.path], ["ip", API_PORT, READINESS_PATH]);
      assert.equal(READINESS_PATH, "/health/ready");
    });
  });
}
