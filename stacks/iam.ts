/**
 * Roles for AWS services (ECS tasks, Lambda) with one inline policy each, written as plain JSON so
 * that what a role may do is visible in the program and in its tests. Statements name ARNs; `"*"`
 * only where AWS offers no resource-level permission (see stacks/policy/wildcard-actions.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { availableAfter } from "./available-after";

/** One Allow statement. */
export interface Grant {
  actions: string[];
  resources: pulumi.Input<string>[];
}

function policyDocument(grants: Grant[]): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: grants.map((g) => ({ Effect: "Allow", Action: g.actions, Resource: g.resources })),
  });
}

/**
 * A role only `service` (e.g. `lambda.amazonaws.com`) can assume, allowed exactly `grants`. Returns
 * its ARN, known only once the policy is attached: whatever uses the role starts with its permissions.
 */
export function createServiceRole(name: string, service: string, grants: Grant[], parent: pulumi.Resource): pulumi.Output<string> {
  const role = new aws.iam.Role(
    name,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      }),
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policyDocument(grants) }, { parent });
  return availableAfter(role.arn, policy);
}

/** Log streams of a log group, the resource `logs:CreateLogStream`/`PutLogEvents` act on. */
export const logStreamsOf = (logGroup: aws.cloudwatch.LogGroup) => pulumi.interpolate`${logGroup.arn}:log-stream:*`;
