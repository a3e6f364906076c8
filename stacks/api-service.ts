/**
 * The registration API on Fargate: a cluster, the task definition (configuration by environment,
 * secrets by ARN only), a service in the private subnets behind the load balancer with a
 * rolling-back circuit breaker, and CPU target-tracking autoscaling (cpu-autoscaling.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConnection, databaseEnvironment } from "./database";
import { scaleOnCpu } from "./cpu-autoscaling";
import { createServiceRole, logStreamsOf } from "./iam";

/** The port the API listens on in its container (`PORT`). */
export const API_PORT = 3000;
const CONTAINER_NAME = "api";

export interface ApiServiceSettings {
  /** Fargate CPU units per task (256 = ¼ vCPU). */
  cpu: number;
  /** MiB per task; Fargate accepts only certain sizes per `cpu`. */
  memoryMb: number;
  /** Tasks at the first deployment; afterwards the autoscaler owns the count. */
  desiredCount: number;
  minCount: number;
  maxCount: number;
  /** Average CPU utilisation the autoscaler steers towards. */
  cpuTargetPercent: number;
  /** CloudWatch Container Insights on the cluster (per-task metrics, billed per metric). */
  containerInsights: boolean;
  /** The load balancer's idle timeout; the API keeps idle keep-alive connections open longer. */
  idleTimeoutSeconds: number;
}

export interface ApiServiceArgs extends ApiServiceSettings {
  appEnv: string;
  logLevel: string;
  region: string;
  logRetentionDays: number;
  imageUri: pulumi.Input<string>;
  repositoryArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  targetGroupArn: pulumi.Input<string>;
  /** The service registers targets only once the target group is attached to a listener. */
  listeners: pulumi.Resource[];
  database: DatabaseConnection;
  topicArn: pulumi.Input<string>;
  adminApiKeySecretArn: pulumi.Input<string>;
  unsubscribeKeySecretArn: pulumi.Input<string>;
}

export class ApiService extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: ApiServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:api:ApiService", name, {}, opts);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/ecs/${name}`, retentionInDays: args.logRetentionDays }, { parent: this });
    // Used by ECS to start the task: pull the image, create its log streams. It reads no secrets.
    const executionRoleArn = createServiceRole(
      `${name}-execution-role`,
      "ecs-tasks.amazonaws.com",
      [
        { actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        { actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], resources: [args.repositoryArn] },
        { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logStreamsOf(logGroup)] },
      ],
      this,
    );
    // Used by the application: publish events, read its credentials and keys.
    const taskRoleArn = createServiceRole(
      `${name}-task-role`,
      "ecs-tasks.amazonaws.com",
      [
        { actions: ["sns:Publish"], resources: [args.topicArn] },
        {
          actions: ["secretsmanager:GetSecretValue"],
          resources: [args.database.secretArn, args.adminApiKeySecretArn, args.unsubscribeKeySecretArn],
        },
      ],
      this,
    );

    const environment: Record<string, pulumi.Input<string>> = {
      APP_ENV: args.appEnv,
      LOG_LEVEL: args.logLevel,
      AWS_REGION: args.region,
      PORT: String(API_PORT),
      ...databaseEnvironment(args.database),
      SNS_TOPIC_ARN: args.topicArn,
      ADMIN_API_KEY_SECRET_ARN: args.adminApiKeySecretArn,
      UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: args.unsubscribeKeySecretArn,
    };
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: name,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu),
        memory: String(args.memoryMb),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn,
        taskRoleArn,
        containerDefinitions: pulumi.jsonStringify([
          {
            name: CONTAINER_NAME,
            image: args.imageUri,
            essential: true,
            readonlyRootFilesystem: true, // the API writes nothing to disk; logs go to stdout
            portMappings: [{ containerPort: API_PORT, protocol: "tcp" }],
            environment: Object.entries(environment).map(([envName, value]) => ({ name: envName, value })),
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": logGroup.name, "awslogs-region": args.region, "awslogs-stream-prefix": CONTAINER_NAME },
            },
          },
        ]),
      },
      { parent: this },
    );

    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }] },
      { parent: this },
    );
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        desiredCount: args.desiredCount,
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: CONTAINER_NAME, containerPort: API_PORT }],
        // Start-up runs migrations before the first readiness check can pass.
        healthCheckGracePeriodSeconds: 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        // `pulumi up` fails when a deployment does not become healthy (and was rolled back).
        waitForSteadyState: true,
      },
      // The autoscaler changes the count; a later `pulumi up` must not reset it.
      { parent: this, dependsOn: args.listeners, ignoreChanges: ["desiredCount"] },
    );

    scaleOnCpu(`${name}-scaling`, {
      resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
      minCount: args.minCount,
      maxCount: args.maxCount,
      cpuTargetPercent: args.cpuTargetPercent,
      parent: this,
    });

    this.serviceName = service.name;
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
