/**
 * Deployer permissions: IAM's policy simulator, asked for the principal running the preflight
 * (an assumed role is simulated as its role), over every action a first `pulumi up` and a
 * `pulumi destroy` call. Run the preflight with the credentials that will deploy.
 */
import { EvaluationResult, GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { isAccessDenied } from "./aws-clients";
import { DEPLOYER_ACTIONS } from "./deployer-actions";
import { CheckContext, failure, Finding, ok, warning } from "./finding";

export async function checkDeployerPermissions({ config, clients, identity }: CheckContext): Promise<Finding[]> {
  // arn:<partition>:<service>::<account>:<kind>/<name>/… (STS answers "root" alone for the root user)
  const [kind, name] = identity.arn.split(":").slice(5).join(":").split("/");
  if (kind === "root") {
    return [warning("Signed in as the account's root user: everything is allowed, but the root user should not deploy.", "deploy with an IAM role or an IAM Identity Center user")];
  }
  if (kind !== "assumed-role" && kind !== "user") {
    return [warning(`IAM cannot simulate the permissions of ${identity.arn}.`, "run the preflight as the IAM role or user that deploys")];
  }
  try {
    const principal = kind === "user" ? identity.arn : await roleArn(clients.iam, name);
    const findings = await Promise.all(Object.entries(DEPLOYER_ACTIONS).map(([group, actions]) => groupFinding(clients.iam, principal, config.region, group, actions)));
    const denied = findings.filter((finding) => finding.status !== "ok");
    const total = Object.values(DEPLOYER_ACTIONS).flat().length;
    return denied.length > 0 ? denied : [ok(`${principal} may call all ${total} actions a first pulumi up and destroy need.`)];
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return [
      warning(
        `Could not simulate the deployer's permissions: ${(error as Error).message}`,
        "allow iam:GetRole and iam:SimulatePrincipalPolicy on the deploying principal, or compare its policies with docs/preflight.md by hand",
      ),
    ];
  }
}

/** The role's ARN with its path (STS's assumed-role ARN has none), as the simulator needs it. */
async function roleArn(iam: IAMClient, roleName: string): Promise<string> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  return Role?.Arn ?? roleName;
}

async function groupFinding(iam: IAMClient, principal: string, region: string, group: string, actions: string[]): Promise<Finding> {
  const results = await simulate(iam, principal, region, actions);
  const denied = results.filter((result) => result.EvalDecision !== "allowed");
  if (denied.length === 0) return ok(`${group}: all ${actions.length} actions allowed.`);
  const names = denied.map((result) => `${result.EvalActionName}${result.EvalDecision === "explicitDeny" ? " (explicit deny)" : ""}`);
  return failure(`${group}: ${denied.length} of ${actions.length} actions denied: ${names.join(", ")}.`, `allow them to ${principal}`);
}

async function simulate(iam: IAMClient, principal: string, region: string, actions: string[]): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: principal,
        ActionNames: actions,
        // Deploy policies often allow only the regions they deploy to.
        ContextEntries: [{ ContextKeyName: "aws:RequestedRegion", ContextKeyValues: [region], ContextKeyType: "string" }],
        Marker: marker,
      }),
    );
    results.push(...(page.EvaluationResults ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return results;
}
