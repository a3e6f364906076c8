/**
 * Application Auto Scaling for an ECS service: the task count stays within bounds and follows the
 * average CPU, scaling out within a minute and in cautiously (five minutes between steps).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CpuScalingArgs {
  /** `service/<cluster name>/<service name>`. */
  resourceId: pulumi.Input<string>;
  minCount: number;
  maxCount: number;
  cpuTargetPercent: number;
  parent: pulumi.Resource;
}

export function scaleOnCpu(name: string, args: CpuScalingArgs): void {
  const target = new aws.appautoscaling.Target(
    name,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: args.resourceId,
      minCapacity: args.minCount,
      maxCapacity: args.maxCount,
    },
    { parent: args.parent },
  );
  new aws.appautoscaling.Policy(
    `${name}-cpu-tracking`,
    {
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: args.cpuTargetPercent,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
      },
    },
    { parent: args.parent },
  );
}
