/**
 * Service-linked roles ECS, Elastic Load Balancing, RDS and Application Auto Scaling act through.
 * AWS creates each on first use only when the deployer may `iam:CreateServiceLinkedRole`, and a
 * role created in the same `pulumi up` may not be usable yet ("Unable to assume the service linked
 * role"): creating them beforehand removes both failures. `--fix` creates the missing ones.
 */
import { CreateServiceLinkedRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { isAwsError } from "./aws-clients";
import { CheckContext, failure, Finding, ok } from "./finding";

/** Role name → the service it is linked to (`AWSServiceName`). */
export const SERVICE_LINKED_ROLES: Record<string, string> = {
  AWSServiceRoleForECS: "ecs.amazonaws.com",
  AWSServiceRoleForElasticLoadBalancing: "elasticloadbalancing.amazonaws.com",
  AWSServiceRoleForRDS: "rds.amazonaws.com",
  AWSServiceRoleForApplicationAutoScaling_ECSService: "ecs.application-autoscaling.amazonaws.com",
};

export async function checkServiceLinkedRoles({ clients, fix }: CheckContext): Promise<Finding[]> {
  return Promise.all(Object.entries(SERVICE_LINKED_ROLES).map(([role, service]) => roleFinding(clients.iam, role, service, fix)));
}

async function roleFinding(iam: IAMClient, role: string, service: string, fix: boolean): Promise<Finding> {
  if (await roleExists(iam, role)) return ok(`${role} exists.`);
  const command = `aws iam create-service-linked-role --aws-service-name ${service}`;
  if (!fix) return failure(`${role} is missing.`, `${command} (or run the preflight with --fix)`);
  try {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service }));
    return ok(`${role} was missing and has been created.`);
  } catch (error) {
    return failure(`${role} is missing and could not be created: ${(error as Error).message}`, `${command}, as someone allowed iam:CreateServiceLinkedRole`);
  }
}

async function roleExists(iam: IAMClient, role: string): Promise<boolean> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: role }));
    return true;
  } catch (error) {
    if (isAwsError(error, "NoSuchEntityException")) return false;
    throw error;
  }
}
