/**
 * The IAM actions a first `pulumi up` and a `pulumi destroy` of this program call, by service.
 * Curated from the resources in `stacks/` and the reads the Pulumi AWS provider makes around each
 * write: keep it in step when a component gains a resource type.
 */

/** `service:Action` for each space-separated action name. */
const actions = (service: string, names: string) => names.trim().split(/\s+/).map((name) => `${service}:${name}`);

export const DEPLOYER_ACTIONS: Record<string, string[]> = {
  "VPC (subnets, routes, NAT gateways, Elastic IPs, security groups)": actions(
    "ec2",
    `CreateVpc DeleteVpc ModifyVpcAttribute DescribeVpcs DescribeVpcAttribute DescribeAvailabilityZones
     CreateSubnet DeleteSubnet ModifySubnetAttribute DescribeSubnets
     CreateInternetGateway DeleteInternetGateway AttachInternetGateway DetachInternetGateway DescribeInternetGateways
     CreateRouteTable DeleteRouteTable CreateRoute DeleteRoute AssociateRouteTable DisassociateRouteTable DescribeRouteTables
     AllocateAddress ReleaseAddress DisassociateAddress DescribeAddresses CreateNatGateway DeleteNatGateway DescribeNatGateways
     CreateSecurityGroup DeleteSecurityGroup DescribeSecurityGroups DescribeSecurityGroupRules
     AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress RevokeSecurityGroupEgress
     CreateTags DeleteTags DescribeNetworkInterfaces DeleteNetworkInterface`,
  ),
  ECS: actions(
    "ecs",
    `CreateCluster DeleteCluster DescribeClusters RegisterTaskDefinition DeregisterTaskDefinition DescribeTaskDefinition
     CreateService UpdateService DeleteService DescribeServices TagResource`,
  ),
  "ECR (repository, image push)": actions(
    "ecr",
    `CreateRepository DeleteRepository DescribeRepositories PutLifecyclePolicy GetLifecyclePolicy ListTagsForResource TagResource
     GetAuthorizationToken BatchCheckLayerAvailability InitiateLayerUpload UploadLayerPart CompleteLayerUpload PutImage BatchGetImage`,
  ),
  "Elastic Load Balancing": actions(
    "elasticloadbalancing",
    `CreateLoadBalancer DeleteLoadBalancer ModifyLoadBalancerAttributes DescribeLoadBalancers DescribeLoadBalancerAttributes
     CreateTargetGroup DeleteTargetGroup ModifyTargetGroupAttributes DescribeTargetGroups DescribeTargetGroupAttributes
     CreateListener DeleteListener ModifyListener DescribeListeners AddTags DescribeTags`,
  ),
  RDS: actions(
    "rds",
    `CreateDBInstance DeleteDBInstance ModifyDBInstance DescribeDBInstances CreateDBSubnetGroup DeleteDBSubnetGroup DescribeDBSubnetGroups
     CreateDBParameterGroup DeleteDBParameterGroup ModifyDBParameterGroup DescribeDBParameterGroups DescribeDBParameters
     AddTagsToResource ListTagsForResource`,
  ),
  "Lambda (functions, concurrency, event source mapping, the migrator's invocation)": actions(
    "lambda",
    `CreateFunction DeleteFunction GetFunction GetFunctionConfiguration UpdateFunctionCode UpdateFunctionConfiguration InvokeFunction
     PutFunctionConcurrency DeleteFunctionConcurrency PutFunctionEventInvokeConfig DeleteFunctionEventInvokeConfig
     CreateEventSourceMapping UpdateEventSourceMapping DeleteEventSourceMapping GetEventSourceMapping
     AddPermission RemovePermission GetPolicy ListTags TagResource`,
  ),
  SQS: actions("sqs", "CreateQueue DeleteQueue GetQueueAttributes SetQueueAttributes GetQueueUrl ListQueueTags TagQueue"),
  SNS: actions(
    "sns",
    `CreateTopic DeleteTopic GetTopicAttributes SetTopicAttributes Subscribe Unsubscribe GetSubscriptionAttributes SetSubscriptionAttributes
     ListTagsForResource TagResource`,
  ),
  "SES (configuration set, event destination)": actions(
    "ses",
    `CreateConfigurationSet DeleteConfigurationSet GetConfigurationSet PutConfigurationSetReputationOptions TagResource
     CreateConfigurationSetEventDestination DeleteConfigurationSetEventDestination GetConfigurationSetEventDestinations`,
  ),
  "KMS (the SES events topic's key)": actions(
    "kms",
    "CreateKey TagResource DescribeKey GetKeyPolicy PutKeyPolicy GetKeyRotationStatus EnableKeyRotation ListResourceTags ScheduleKeyDeletion",
  ),
  // RDS creates the master password's secret as the deployer, so CreateSecret is needed either way.
  "Secrets Manager": actions("secretsmanager", "CreateSecret DeleteSecret DescribeSecret PutSecretValue GetSecretValue GetResourcePolicy TagResource"),
  "IAM (service roles)": actions(
    "iam",
    `CreateRole DeleteRole GetRole TagRole PutRolePolicy GetRolePolicy DeleteRolePolicy ListRolePolicies ListAttachedRolePolicies
     ListInstanceProfilesForRole PassRole CreateServiceLinkedRole`,
  ),
  "CloudWatch (alarms, dashboards, log groups)": [
    ...actions("cloudwatch", "PutMetricAlarm DeleteAlarms DescribeAlarms ListTagsForResource TagResource PutDashboard GetDashboard DeleteDashboards"),
    ...actions("logs", "CreateLogGroup DeleteLogGroup PutRetentionPolicy DescribeLogGroups ListTagsForResource TagResource"),
  ],
  "Application Auto Scaling": actions(
    "application-autoscaling",
    "RegisterScalableTarget DeregisterScalableTarget DescribeScalableTargets PutScalingPolicy DeleteScalingPolicy DescribeScalingPolicies TagResource",
  ),
};
