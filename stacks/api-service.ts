/**
 * The registration API on Fargate: a cluster, the task definition (configuration by environment,
 * secrets by ARN only), a service in the private subnets behind the load balancer with a
 * rolling-back circuit breaker, and CPU target-tracking autoscaling (cpu-autoscaling.ts). A paused
 * stack keeps the cluster, roles and logs, and runs nothing: no task definition, service or scaling.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { API_PORT, apiContainer, ApiEnvironmentArgs, CONTAINER_NAME } from "./api-container";
import { scaleOnCpu } from "./cpu-autoscaling";
import { createServiceRole, logStreamsOf } from "./iam";

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
  /** The load balancer's idle timeout; the API keeps idle keep-alive connections open longer. Default 60. */
  idleTimeoutSeconds: number;
}

/** Where the running service is reached; absent while the stack is paused. */
export interface ApiServing {
  targetGroupArn: pulumi.Input<string>;
  /** The service registers targets only once the target group is attached to a listener. */
  listeners: pulumi.Resource[];
  /** The API's public URL (`https://…` turns on HSTS). */
  publicBaseUrl: pulumi.Input<string>;
}

export interface ApiServiceArgs extends ApiServiceSettings, Omit<ApiEnvironmentArgs, "publicBaseUrl"> {
  logRetentionDays: number;
  imageUri: pulumi.Input<string>;
  repositoryArn: pulumi.Input<string>;
  /** The private subnets, known once they reach the internet (a task's first act is pulling its image). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Absent: the stack is paused and no task runs. */
  serving?: ApiServing;
}

export class ApiService extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** None while paused. */
  readonly serviceName?: pulumi.Output<string>;

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
    // Used by the application: publish events, log in to the database as its role, read its keys.
    const taskRoleArn = createServiceRole(
      `${name}-task-role`,
      "ecs-tasks.amazonaws.com",
      [
        { actions: ["sns:Publish"], resources: [args.topicArn] },
        args.database.connectGrant,
        {
          actions: ["secretsmanager:GetSecretValue"],
          resources: [
            args.adminApiKeySecretArn,
            args.unsubscribeKeySecretArn,
            ...(args.previousUnsubscribeKeySecretArn ? [args.previousUnsubscribeKeySecretArn] : []),
          ],
        },
      ],
      this,
    );
    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }] },
      { parent: this },
    );
    this.clusterName = cluster.name;

    if (args.serving) {
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
            apiContainer({ ...args, publicBaseUrl: args.serving.publicBaseUrl, logGroupName: logGroup.name }),
          ]),
        },
        { parent: this },
      );
      this.serviceName = this.runService(name, args, args.serving, cluster, taskDefinition);
    }
    this.registerOutputs({ clusterName: this.clusterName, serviceName: this.serviceName });
  }

  private runService(
    name: string,
    args: ApiServiceArgs,
    serving: ApiServing,
    cluster: aws.ecs.Cluster,
    taskDefinition: aws.ecs.TaskDefinition,
  ): pulumi.Output<string> {
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        desiredCount: args.desiredCount,
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: serving.targetGroupArn, containerName: CONTAINER_NAME, containerPort: API_PORT }],
        // Time for a task to start (read its keys, check the schema, open connections) before the first readiness check counts.
        healthCheckGracePeriodSeconds: 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        // `pulumi up` fails when a deployment does not become healthy (and was rolled back).
        waitForSteadyState: true,
      },
      // The autoscaler changes the count; a later `pulumi up` must not reset it.
      { parent: this, dependsOn: serving.listeners, ignoreChanges: ["desiredCount"] },
    );
    scaleOnCpu(`${name}-scaling`, {
      resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
      minCount: args.minCount,
      maxCount: args.maxCount,
      cpuTargetPercent: args.cpuTargetPercent,
      parent: this,
    });
    return service.name;
  }
}
