/**
 * IAM actions AWS authorizes only with `"Resource": "*"`: they concern no particular resource, or
 * resources that do not exist yet. Every other action must name the ARNs it acts on.
 */

/**
 * What Lambda does, as the function's role, to run it in a VPC: manage the network interfaces it
 * creates on demand (their ids are not known in advance; the Describe actions accept only "*").
 */
export const LAMBDA_VPC_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
];

export const ACTIONS_ONLY_ON_ANY_RESOURCE: ReadonlySet<string> = new Set([
  // The registry login token is account-wide; pulling is then scoped to the repository.
  "ecr:GetAuthorizationToken",
  ...LAMBDA_VPC_ACTIONS,
]);
