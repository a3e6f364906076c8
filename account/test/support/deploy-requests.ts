/**
 * What deploying each resource type of the environment program (`stacks/`) asks AWS for, as the
 * AWS provider calls it: the create, update and delete calls, on ARNs named as the program names
 * them. A type the program starts to use must be added here, with the permissions it takes.
 */
import { MOCK_ACCOUNT, MOCK_REGION } from "../../../stacks/test/support/recording-mocks";
import { ENVIRONMENT_TAG } from "../../deploy-permissions";
import type { AuthorizationRequest } from "./iam-evaluator";

/** A request; `shared` when it names no environment's resource (any environment's role may make it). */
export type DeployRequest = AuthorizationRequest & { shared?: boolean };

/** Requests by resource type, for environment `env`; `null` for a type the environments no longer deploy. */
export function deployRequests(env: string): Record<string, DeployRequest[] | null> {
  const p = `ecom-${env}-`;
  const arn = (service: string, resource: string, region = MOCK_REGION) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;
  const on = (resource: string, ...actions: string[]) => actions.map((action) => ({ action, resource }));
  const shared = (resource: string, ...actions: string[]) => actions.map((action) => ({ action, resource, shared: true }));
  // EC2 knows resources by id only: creating one carries the environment's tag, the others check it.
  const ec2 = (type: string, create: string[], manage: string[]): DeployRequest[] => [
    ...create.flatMap((action): DeployRequest[] => [
      { action, resource: arn("ec2", `${type}/*`), context: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: env } },
      { action: "ec2:CreateTags", resource: arn("ec2", `${type}/*`), context: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: env, "ec2:CreateAction": action.split(":")[1] } },
    ]),
    ...manage.map((action) => ({ action, resource: arn("ec2", `${type}/${type}-0a1b2c3`), context: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: env } })),
  ];
  const role = (name: string) => arn("iam", `role/${p}${name}-0a1b2c3`, "");
  const passRole = (name: string, service: string) => ({ action: "iam:PassRole", resource: role(name), context: { "iam:PassedToService": service } });
  const serviceLinkedRole = (service: string, name: string) => ({
    action: "iam:CreateServiceLinkedRole",
    resource: arn("iam", `role/aws-service-role/${service}/${name}`, ""),
    context: { "iam:AWSServiceName": service },
    shared: true,
  });
  const cluster = `${p}api-cluster-0a1b2c3`;
  const service = arn("ecs", `service/${cluster}/${p}api-service-0a1b2c3`);
  const fn = arn("lambda", `function:${p}campaign-fn-0a1b2c3`);
  const migrator = arn("lambda", `function:${p}migrator-fn-0a1b2c3`);
  const repository = arn("ecr", `repository/${p}api-image-repository-0a1b2c3`);
  const loadBalancer = `app/${p}lb-alb-0a1b2c3/50dc6c495c0c9188`;
  const database = (type: string, name: string) => arn("rds", `${type}:${p}${name}`);
  const secretsAndKeys = [
    { action: "secretsmanager:CreateSecret", resource: arn("secretsmanager", "secret:rds!db-3c2e1f0a-AbCdEf"), shared: true },
    { action: "kms:DescribeKey", resource: arn("kms", "key/1234abcd"), context: { "kms:ViaService": `rds.${MOCK_REGION}.amazonaws.com` }, shared: true },
  ];

  return {
    "awsx:ec2:Vpc": [
      ...shared("*", "ec2:DescribeAvailabilityZones", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeNatGateways"),
      ...ec2("vpc", ["ec2:CreateVpc"], ["ec2:ModifyVpcAttribute", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:AttachInternetGateway", "ec2:DeleteVpc"]),
      ...ec2("subnet", ["ec2:CreateSubnet"], ["ec2:ModifySubnetAttribute", "ec2:AssociateRouteTable", "ec2:CreateNatGateway", "ec2:DeleteSubnet"]),
      ...ec2("route-table", ["ec2:CreateRouteTable"], ["ec2:CreateRoute", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:DeleteRouteTable"]),
      ...ec2("internet-gateway", ["ec2:CreateInternetGateway"], ["ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"]),
      ...ec2("elastic-ip", ["ec2:AllocateAddress"], ["ec2:CreateNatGateway", "ec2:ReleaseAddress"]),
      ...ec2("natgateway", ["ec2:CreateNatGateway"], ["ec2:DeleteNatGateway"]),
    ],
    "aws:ec2/securityGroup:SecurityGroup": [
      ...ec2("security-group", ["ec2:CreateSecurityGroup"], ["ec2:RevokeSecurityGroupEgress", "ec2:DeleteSecurityGroup"]),
      ...ec2("vpc", [], ["ec2:CreateSecurityGroup"]),
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
      ...ec2("security-group-rule", ["ec2:AuthorizeSecurityGroupIngress"], ["ec2:ModifySecurityGroupRules"]),
      ...ec2("security-group", [], ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]),
    ],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [
      ...ec2("security-group-rule", ["ec2:AuthorizeSecurityGroupEgress"], []),
      ...ec2("security-group", [], ["ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress"]),
    ],
    "aws:lb/loadBalancer:LoadBalancer": [
      ...shared("*", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"),
      ...on(arn("elasticloadbalancing", `loadbalancer/${loadBalancer}`), ...["CreateLoadBalancer", "AddTags", "ModifyLoadBalancerAttributes", "SetSecurityGroups", "DeleteLoadBalancer"].map((a) => `elasticloadbalancing:${a}`)),
      serviceLinkedRole("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing"),
    ],
    "aws:lb/targetGroup:TargetGroup": on(arn("elasticloadbalancing", `targetgroup/${p}lb-tg-0a1b2c3/73e2d6bc24d8a067`), ...["CreateTargetGroup", "AddTags", "ModifyTargetGroupAttributes", "DeleteTargetGroup"].map((a) => `elasticloadbalancing:${a}`)),
    "aws:lb/listener:Listener": [
      ...on(arn("elasticloadbalancing", `loadbalancer/${loadBalancer}`), "elasticloadbalancing:CreateListener"),
      ...on(arn("elasticloadbalancing", `listener/${loadBalancer}/f2f7dc8efc522ab2`), "elasticloadbalancing:CreateListener", "elasticloadbalancing:AddTags", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener"),
    ],
    "aws:ecs/cluster:Cluster": [
      ...on(arn("ecs", `cluster/${cluster}`), "ecs:CreateCluster", "ecs:TagResource", "ecs:UpdateCluster", "ecs:DescribeClusters", "ecs:DeleteCluster"),
      serviceLinkedRole("ecs.amazonaws.com", "AWSServiceRoleForECS"),
    ],
    "aws:ecs/taskDefinition:TaskDefinition": [
      ...shared("*", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition"),
      ...on(arn("ecs", `task-definition/${p}api:3`), "ecs:TagResource"),
      passRole("api-execution-role", "ecs-tasks.amazonaws.com"),
      passRole("api-task-role", "ecs-tasks.amazonaws.com"),
    ],
    "aws:ecs/service:Service": on(service, "ecs:CreateService", "ecs:TagResource", "ecs:UpdateService", "ecs:DescribeServices", "ecs:DeleteService"),
    "aws:appautoscaling/target:Target": [
      ...shared("*", "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DescribeScalableTargets", "application-autoscaling:TagResource", "application-autoscaling:DeregisterScalableTarget"),
      ...on(service, "ecs:DescribeServices", "ecs:UpdateService"),
      serviceLinkedRole("ecs.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_ECSService"),
    ],
    "aws:appautoscaling/policy:Policy": [
      ...shared("*", "application-autoscaling:PutScalingPolicy", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:DeleteScalingPolicy", "cloudwatch:DescribeAlarms"),
      ...on(arn("cloudwatch", `alarm:TargetTracking-service/${cluster}/${p}api-service-0a1b2c3-AlarmHigh-5c9e8f9a`), "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"),
    ],
    "aws:ecr/repository:Repository": on(repository, "ecr:CreateRepository", "ecr:TagResource", "ecr:DescribeRepositories", "ecr:PutImageScanningConfiguration", "ecr:DeleteRepository"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": on(repository, "ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:DeleteLifecyclePolicy"),
    "awsx:ecr:Image": [
      ...shared("*", "ecr:GetAuthorizationToken"),
      ...on(repository, "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage"),
    ],
    "aws:iam/role:Role": on(role("campaign-role"), "iam:CreateRole", "iam:TagRole", "iam:GetRole", "iam:UpdateAssumeRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:DeleteRole"),
    "aws:iam/rolePolicy:RolePolicy": on(role("campaign-role"), "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"),
    "aws:lambda/function:Function": [
      ...shared("*", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"),
      ...on(fn, "lambda:CreateFunction", "lambda:TagResource", "lambda:GetFunction", "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PutFunctionConcurrency", "lambda:DeleteFunction"),
      passRole("campaign-role", "lambda.amazonaws.com"),
      ...on(migrator, "lambda:CreateFunction", "lambda:GetFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:DeleteFunction"),
      passRole("migrator-role", "lambda.amazonaws.com"),
    ],
    "aws:lambda/invocation:Invocation": on(migrator, "lambda:InvokeFunction"),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": on(fn, "lambda:PutFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig"),
    "aws:lambda/permission:Permission": on(fn, "lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": [
      ...["CreateEventSourceMapping", "GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping"].map((a) => ({ action: `lambda:${a}`, resource: "*", context: { "lambda:FunctionArn": fn } })),
      { action: "lambda:TagResource", resource: arn("lambda", "event-source-mapping:3c2e1f0a"), context: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: env } },
    ],
    "aws:sns/topic:Topic": on(arn("sns", `${p}events-topic-0a1b2c3`), "sns:CreateTopic", "sns:TagResource", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic"),
    "aws:sns/topicPolicy:TopicPolicy": on(arn("sns", `${p}ses-events`), "sns:SetTopicAttributes", "sns:GetTopicAttributes"),
    "aws:kms/key:Key": [
      ...["kms:CreateKey", "kms:TagResource"].map((action) => ({ action, resource: "*", context: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: env } })),
      ...["DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "EnableKeyRotation", "ListResourceTags", "PutKeyPolicy", "ScheduleKeyDeletion"].map((action) => ({
        action: `kms:${action}`,
        resource: arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        context: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: env },
      })),
    ],
    "aws:sns/topicSubscription:TopicSubscription": [
      ...on(arn("sns", `${p}events-topic-0a1b2c3`), "sns:Subscribe"),
      ...on(arn("sns", `${p}events-topic-0a1b2c3:7a8b9c0d`), "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"),
    ],
    "aws:sqs/queue:Queue": on(arn("sqs", `${p}events-dlq-0a1b2c3`), "sqs:CreateQueue", "sqs:TagQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:DeleteQueue"),
    "aws:sqs/queuePolicy:QueuePolicy": on(arn("sqs", `${p}events-dlq-0a1b2c3`), "sqs:SetQueueAttributes", "sqs:GetQueueAttributes"),
    "aws:sqs/redrivePolicy:RedrivePolicy": on(arn("sqs", `${p}events-queue-0a1b2c3`), "sqs:SetQueueAttributes", "sqs:GetQueueAttributes"),
    "aws:cloudwatch/logGroup:LogGroup": [
      ...shared("*", "logs:DescribeLogGroups"),
      ...on(arn("logs", `log-group:/ecs/${p}api:*`), "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource", "logs:ListTagsForResource", "logs:DeleteLogGroup"),
      ...on(arn("logs", `log-group:/aws/lambda/${p}campaign`), "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup"),
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": on(arn("cloudwatch", `alarm:${p}events-dlq-not-empty-0a1b2c3`), "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:ListTagsForResource", "cloudwatch:DeleteAlarms"),
    "aws:cloudwatch/dashboard:Dashboard": on(arn("cloudwatch", `dashboard/${p}dashboard`, ""), "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"),
    "aws:secretsmanager/secret:Secret": on(arn("secretsmanager", `secret:${p}admin-api-key-0a1b2c3-AbCdEf`), "secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:DeleteSecret"),
    "aws:secretsmanager/secretVersion:SecretVersion": on(arn("secretsmanager", `secret:${p}admin-api-key-0a1b2c3-AbCdEf`), "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:UpdateSecretVersionStage"),
    "aws:rds/instance:Instance": [
      ...shared("*", "rds:DescribeDBInstances"),
      ...on(database("db", "database-instance-0a1b2c3"), "rds:CreateDBInstance", "rds:AddTagsToResource", "rds:ModifyDBInstance", "rds:DeleteDBInstance"),
      ...on(database("subgrp", "database-subnets-0a1b2c3"), "rds:CreateDBInstance"),
      ...on(database("pg", "database-parameters-0a1b2c3"), "rds:CreateDBInstance"),
      ...shared(arn("rds", "og:default:postgres-17"), "rds:CreateDBInstance"),
      ...on(database("snapshot", "database-final-0a1b2c3d"), "rds:CreateDBSnapshot"),
      ...secretsAndKeys,
      serviceLinkedRole("rds.amazonaws.com", "AWSServiceRoleForRDS"),
    ],
    "aws:rds/subnetGroup:SubnetGroup": on(database("subgrp", "database-subnets-0a1b2c3"), "rds:CreateDBSubnetGroup", "rds:AddTagsToResource", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup"),
    "aws:rds/parameterGroup:ParameterGroup": on(database("pg", "database-parameters-0a1b2c3"), "rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup", "rds:DescribeDBParameters", "rds:DeleteDBParameterGroup"),
    "aws:sesv2/configurationSet:ConfigurationSet": on(
      arn("ses", `configuration-set/${p}emails`),
      ...["ses:CreateConfigurationSet", "ses:TagResource", "ses:GetConfigurationSet", "ses:PutConfigurationSetReputationOptions", "ses:DeleteConfigurationSet"],
    ),
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": on(arn("ses", `configuration-set/${p}emails`), "ses:CreateConfigurationSetEventDestination", "ses:GetConfigurationSetEventDestinations", "ses:DeleteConfigurationSetEventDestination"),
    // The sender identity lives in the account stack (docs/account-stack.md); no environment creates one.
    "aws:sesv2/emailIdentity:EmailIdentity": null,
  };
}
