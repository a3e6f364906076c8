/**
 * What an environment's deploy role may do: create, update, read and delete every resource type of
 * the program in `stacks/`, and nothing of another environment's. Resources are reached by name
 * where AWS names them (stacks/platform.ts names everything `ecom-<env>-…`), by the environment's
 * tag where it does not (EC2: ids only; the stacks tag every resource through `aws:defaultTags`),
 * and on `"*"` only to read (`Describe*`, `List*`) or for DEPLOY_ACTIONS_ON_ANY_RESOURCE.
 * The groups become one managed policy each (IAM allows 6,144 characters per policy).
 */
import { DEPLOY_ACTIONS_ON_ANY_RESOURCE } from "../stacks/policy/deploy-role-actions";

/** The tag key every environment resource carries (`aws:defaultTags` in Pulumi.<env>.yaml), valued with the stack's name. */
export const ENVIRONMENT_TAG = "environment";

export interface DeployScope {
  /** The environment stack, e.g. `dev`. */
  environment: string;
  region: string;
  accountId: string;
  partition: string;
}

export interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The physical-name prefix of the environment's resources: `<project e_com without symbols>-<stack>-`. */
export const namePrefix = (environment: string) => `ecom-${environment}-`;

const allow = (Sid: string, Action: string[], Resource: string[], Condition?: Statement["Condition"]): Statement =>
  Condition ? { Sid, Effect: "Allow", Action, Resource, Condition } : { Sid, Effect: "Allow", Action, Resource };
const prefixed = (service: string, actions: string[]) => actions.map((a) => `${service}:${a}`);

/** EC2 actions that create a resource; the request carries the environment's tag, checked on creation. */
const EC2_CREATE = ["CreateVpc", "CreateSubnet", "CreateRouteTable", "CreateInternetGateway", "CreateNatGateway", "AllocateAddress", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"];
const EC2_MANAGE = [
  ...EC2_CREATE,
  ...["ModifyVpcAttribute", "DeleteVpc", "ModifySubnetAttribute", "DeleteSubnet", "CreateRoute", "ReplaceRoute", "DeleteRoute", "AssociateRouteTable", "DisassociateRouteTable"],
  ...["DeleteRouteTable", "AttachInternetGateway", "DetachInternetGateway", "DeleteInternetGateway", "DeleteNatGateway", "AssociateAddress", "DisassociateAddress", "ReleaseAddress"],
  ...["DeleteSecurityGroup", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress"],
  ...["UpdateSecurityGroupRuleDescriptionsEgress", "CreateTags", "DeleteTags"],
];

/** The roles AWS services create for themselves the first time an account uses them. */
const SERVICE_LINKED_ROLES: Record<string, string> = {
  "ecs.amazonaws.com": "AWSServiceRoleForECS",
  "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
  "rds.amazonaws.com": "AWSServiceRoleForRDS",
  "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
};

/** The managed policies of a deploy role, by what they cover. */
export const PERMISSION_GROUPS = ["network", "compute", "identity", "data", "observability"] as const;

/** The deploy role's statements for `scope.environment`, by managed policy. */
export function deployPermissions(scope: DeployScope): Record<(typeof PERMISSION_GROUPS)[number], Statement[]> {
  const { environment, region, accountId, partition } = scope;
  const named = `${namePrefix(environment)}*`;
  const arn = (service: string, resource: string, inRegion = region) => `arn:${partition}:${service}:${inRegion}:${accountId}:${resource}`;
  const ownTag = (when: "RequestTag" | "ResourceTag") => ({ StringEquals: { [`aws:${when}/${ENVIRONMENT_TAG}`]: environment } });
  const functions = arn("lambda", `function:${named}`);
  const roles = arn("iam", `role/${named}`, "");

  return {
    network: [
      allow("ReadNetwork", ["ec2:Describe*", "elasticloadbalancing:Describe*"], ["*"]),
      allow("CreateTaggedNetwork", prefixed("ec2", EC2_CREATE), [arn("ec2", "*")], ownTag("RequestTag")),
      allow("TagNetworkOnCreation", ["ec2:CreateTags"], [arn("ec2", "*")], {
        StringEquals: { "ec2:CreateAction": EC2_CREATE, [`aws:RequestTag/${ENVIRONMENT_TAG}`]: environment },
      }),
      allow("ManageOwnNetwork", prefixed("ec2", EC2_MANAGE), [arn("ec2", "*")], ownTag("ResourceTag")),
      allow("DeleteDetachedInterfaces", ["ec2:DeleteNetworkInterface"], [arn("ec2", "network-interface/*")]),
      allow(
        "ManageLoadBalancer",
        prefixed("elasticloadbalancing", [
          ...["CreateLoadBalancer", "DeleteLoadBalancer", "ModifyLoadBalancerAttributes", "SetSecurityGroups", "SetSubnets", "SetIpAddressType"],
          ...["CreateTargetGroup", "DeleteTargetGroup", "ModifyTargetGroup", "ModifyTargetGroupAttributes", "CreateListener", "DeleteListener"],
          ...["ModifyListener", "ModifyListenerAttributes", "AddListenerCertificates", "RemoveListenerCertificates", "AddTags", "RemoveTags"],
        ]),
        [`loadbalancer/app/${named}`, `targetgroup/${named}`, `listener/app/${named}`, `listener-rule/app/${named}`].map((r) => arn("elasticloadbalancing", r)),
      ),
    ],
    compute: [
      allow("ReadCompute", ["ecs:Describe*", "ecs:List*", "application-autoscaling:Describe*", "application-autoscaling:ListTagsForResource", "lambda:ListEventSourceMappings"], ["*"]),
      allow("OnAnyResource", [...DEPLOY_ACTIONS_ON_ANY_RESOURCE].filter((a) => /^(ecr|ecs|application-autoscaling):/.test(a)), ["*"]),
      allow(
        "ManageContainers",
        prefixed("ecs", ["CreateCluster", "DeleteCluster", "UpdateCluster", "UpdateClusterSettings", "CreateService", "UpdateService", "DeleteService", "TagResource", "UntagResource"]),
        [arn("ecs", `cluster/${named}`), arn("ecs", `service/${named}`), arn("ecs", `task-definition/${named}`)],
      ),
      allow(
        "ManageImages",
        prefixed("ecr", [
          ...["CreateRepository", "DeleteRepository", "DescribeRepositories", "PutImageScanningConfiguration", "PutImageTagMutability", "TagResource", "UntagResource"],
          ...["ListTagsForResource", "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy", "BatchCheckLayerAvailability", "InitiateLayerUpload"],
          ...["UploadLayerPart", "CompleteLayerUpload", "PutImage", "BatchGetImage", "GetDownloadUrlForLayer", "DescribeImages", "ListImages", "BatchDeleteImage"],
        ]),
        [arn("ecr", `repository/${named}`)],
      ),
      allow(
        "ManageFunctions",
        prefixed("lambda", [
          ...["Get*", "List*", "CreateFunction", "DeleteFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion", "PutFunctionConcurrency"],
          ...["DeleteFunctionConcurrency", "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig", "AddPermission"],
          ...["RemovePermission", "TagResource", "UntagResource", "PutRuntimeManagementConfig", "PutFunctionRecursionConfig"],
        ]),
        [functions],
      ),
      allow("ManageEventSourceMappings", prefixed("lambda", ["CreateEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping", "GetEventSourceMapping"]), ["*"], {
        ArnLike: { "lambda:FunctionArn": functions },
      }),
      // The deploy's migration step: `pulumi up` invokes the migrator function, and no other.
      allow("RunMigrations", ["lambda:InvokeFunction"], [arn("lambda", `function:${namePrefix(environment)}migrator-*`)]),
      allow("TagEventSourceMappingsOnCreation", ["lambda:TagResource"], [arn("lambda", "event-source-mapping:*")], ownTag("RequestTag")),
      allow("TagOwnEventSourceMappings", ["lambda:TagResource", "lambda:UntagResource", "lambda:ListTags"], [arn("lambda", "event-source-mapping:*")], ownTag("ResourceTag")),
    ],
    identity: [
      allow(
        "ManageServiceRoles",
        prefixed("iam", [
          ...["CreateRole", "DeleteRole", "GetRole", "UpdateRole", "UpdateAssumeRolePolicy", "TagRole", "UntagRole", "ListRoleTags", "PutRolePolicy"],
          ...["GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"],
        ]),
        [roles],
      ),
      allow("PassServiceRoles", ["iam:PassRole"], [roles], { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] } }),
      allow(
        "CreateServiceLinkedRoles",
        ["iam:CreateServiceLinkedRole"],
        Object.entries(SERVICE_LINKED_ROLES).map(([service, role]) => arn("iam", `role/aws-service-role/${service}/${role}`, "")),
        { StringEquals: { "iam:AWSServiceName": Object.keys(SERVICE_LINKED_ROLES) } },
      ),
    ],
    data: [
      allow("ReadDatabases", ["rds:Describe*", "rds:ListTagsForResource"], ["*"]),
      allow(
        "ManageDatabase",
        prefixed("rds", [
          ...["CreateDBInstance", "ModifyDBInstance", "DeleteDBInstance", "RebootDBInstance", "CreateDBSnapshot", "AddTagsToResource", "RemoveTagsFromResource"],
          ...["CreateDBSubnetGroup", "ModifyDBSubnetGroup", "DeleteDBSubnetGroup", "CreateDBParameterGroup", "ModifyDBParameterGroup", "DeleteDBParameterGroup"],
          "ResetDBParameterGroup",
        ]),
        [...["db", "subgrp", "pg", "snapshot"].map((type) => arn("rds", `${type}:${named}`)), arn("rds", "og:default:*")],
      ),
      allow(
        "ManageSecrets",
        prefixed("secretsmanager", [
          ...["CreateSecret", "DeleteSecret", "RestoreSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecret", "UpdateSecretVersionStage"],
          ...["ListSecretVersionIds", "GetResourcePolicy", "TagResource", "UntagResource"],
        ]),
        [arn("secretsmanager", `secret:${named}`)],
      ),
      // RDS creates the database's master-password secret with the caller's permissions.
      allow("CreateDatabaseSecret", prefixed("secretsmanager", ["CreateSecret", "TagResource", "DescribeSecret"]), [arn("secretsmanager", "secret:rds!db-*")]),
      allow("DescribeKeysForRds", ["kms:DescribeKey"], [arn("kms", "key/*")], {
        StringEquals: { "kms:ViaService": [`rds.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`] },
      }),
      allow(
        "ManageMessaging",
        [
          ...prefixed("sns", ["CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe", "GetSubscriptionAttributes"]),
          ...prefixed("sns", ["SetSubscriptionAttributes", "ListSubscriptionsByTopic", "TagResource", "UntagResource", "ListTagsForResource"]),
          ...prefixed("sqs", ["CreateQueue", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes", "GetQueueUrl", "TagQueue", "UntagQueue", "ListQueueTags"]),
          "sqs:ListDeadLetterSourceQueues",
        ],
        [arn("sns", named), arn("sqs", named)],
      ),
      // The environment's SES configuration set and its event destination (bounces, complaints, deliveries).
      allow(
        "ManageConfigurationSets",
        prefixed("ses", [
          ...["CreateConfigurationSet", "DeleteConfigurationSet", "GetConfigurationSet", "PutConfigurationSetDeliveryOptions", "PutConfigurationSetReputationOptions"],
          ...["PutConfigurationSetSendingOptions", "PutConfigurationSetSuppressionOptions", "PutConfigurationSetTrackingOptions", "PutConfigurationSetVdmOptions"],
          ...["CreateConfigurationSetEventDestination", "UpdateConfigurationSetEventDestination", "DeleteConfigurationSetEventDestination"],
          ...["GetConfigurationSetEventDestinations", "TagResource", "UntagResource", "ListTagsForResource"],
        ]),
        [arn("ses", `configuration-set/${named}`)],
      ),
      // The SES events topic's key. KMS names keys by generated ids: the environment's tag scopes them, as for EC2.
      allow("CreateTaggedKeys", ["kms:CreateKey", "kms:TagResource"], ["*"], ownTag("RequestTag")),
      allow(
        "ManageOwnKeys",
        prefixed("kms", [
          ...["DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "GetKeyRotationStatus", "EnableKeyRotation", "ListResourceTags", "TagResource"],
          ...["UntagResource", "UpdateKeyDescription", "ScheduleKeyDeletion"],
        ]),
        [arn("kms", "key/*")],
        ownTag("ResourceTag"),
      ),
    ],
    observability: [
      allow("ReadObservability", ["logs:DescribeLogGroups", "cloudwatch:DescribeAlarms"], ["*"]),
      allow(
        "ManageLogGroups",
        prefixed("logs", [
          ...["CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy", "TagResource", "UntagResource", "ListTagsForResource"],
          ...["TagLogGroup", "UntagLogGroup", "ListTagsLogGroup"],
        ]),
        [`/ecs/${named}`, `/aws/lambda/${named}`, named].map((group) => arn("logs", `log-group:${group}`)),
      ),
      allow(
        "ManageAlarms",
        prefixed("cloudwatch", ["PutMetricAlarm", "DeleteAlarms", "TagResource", "UntagResource", "ListTagsForResource"]),
        // Target tracking's own alarms are named after the scaled service.
        [arn("cloudwatch", `alarm:${named}`), arn("cloudwatch", `alarm:TargetTracking-service/${named}`)],
      ),
      allow("ManageDashboards", prefixed("cloudwatch", ["PutDashboard", "GetDashboard", "DeleteDashboards"]), [arn("cloudwatch", `dashboard/${named}`, "")]),
    ],
  };
}
