/**
 * What sets CI deploy roles apart from service roles: where they live in IAM, whom they trust, and
 * the few write actions they may hold on any resource. Shared by the account stack, which creates
 * the roles, and the pack's `deploy-role-*` rules, which check them.
 */

/** IAM path of the deploy roles and their policies; `iam-least-privilege` leaves what is under it to the deploy rules. */
export const DEPLOY_ROLE_PATH = "/ecom-deploy/";

/** GitHub Actions' OIDC issuer, and the audience `aws-actions/configure-aws-credentials` asks tokens for. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** The one subject a deploy role trusts: jobs of one repository that run in one GitHub environment. */
export const REPOSITORY_ENVIRONMENT_SUBJECT = /^repo:[\w.-]+\/[\w.-]+:environment:[\w.-]+$/;

/**
 * Write actions a deploy role may hold on `"*"`. AWS authorizes them on nothing narrower, and what
 * they can reach is bounded by other grants: running a task definition takes ecs:CreateService or
 * UpdateService on a named service and iam:PassRole on a named role; Application Auto Scaling also
 * requires ecs:UpdateService on the service it scales; a network interface can be deleted only once
 * nothing uses it (what the AWS provider does with those Lambda leaves behind, when it deletes a
 * subnet or security group).
 */
export const DEPLOY_ACTIONS_ON_ANY_RESOURCE: ReadonlySet<string> = new Set([
  "ecr:GetAuthorizationToken",
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "application-autoscaling:RegisterScalableTarget",
  "application-autoscaling:DeregisterScalableTarget",
  "application-autoscaling:PutScalingPolicy",
  "application-autoscaling:DeleteScalingPolicy",
  "application-autoscaling:TagResource",
  "application-autoscaling:UntagResource",
  "ec2:DeleteNetworkInterface",
]);

/**
 * Condition keys that narrow a statement on `"*"` to particular resources: the environment's tag
 * (EC2 resources are named by generated ids only), or the function a mapping belongs to.
 */
export const SCOPING_CONDITION_KEY = /^(aws:(RequestTag|ResourceTag)\/.+|ec2:CreateAction|lambda:FunctionArn|kms:ViaService)$/;

/**
 * IAM actions no deploy role holds: they attach managed policies (how AdministratorAccess gets in),
 * move permission boundaries, or mint long-lived credentials and identities. The program's roles
 * carry inline policies only.
 */
export const FORBIDDEN_DEPLOY_IAM_ACTION =
  /^iam:(Attach\w*Policy|Put(User|Group)Policy|\w*PermissionsBoundary|Create(PolicyVersion|AccessKey|LoginProfile|User|Group|OpenIDConnectProvider|SAMLProvider|ServiceSpecificCredential)|SetDefaultPolicyVersion|UpdateLoginProfile|AddUserToGroup|UpdateAccessKey)$/i;
