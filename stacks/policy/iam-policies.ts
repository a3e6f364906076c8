/**
 * Least privilege: every statement names its actions and the ARNs they act on; `"*"` only for
 * actions AWS authorizes on nothing narrower; no broad AWS-managed policies.
 */
import { Check, problemIf, resourcePolicy } from "./resource-policy";
import { ACTIONS_ONLY_ON_ANY_RESOURCE } from "./wildcard-actions";

const BROAD_MANAGED_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/** One statement of an IAM policy document, as written. */
export interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
}

export const list = (v: string | string[] | undefined) => (v === undefined ? [] : ([] as string[]).concat(v));

function statementProblems(s: Statement): string[] {
  if (s.Effect !== "Allow") return [];
  const actions = list(s.Action);
  const unscoped = list(s.Resource).includes("*") ? actions.filter((a) => !ACTIONS_ONLY_ON_ANY_RESOURCE.has(a)) : [];
  return [
    ...problemIf(s.NotAction !== undefined || s.NotResource !== undefined, "Allow with NotAction/NotResource grants everything else"),
    ...problemIf(actions.some((a) => a === "*" || a.endsWith(":*")), `wildcard action in ${actions.join(", ")}: name the actions`),
    ...problemIf(unscoped.length > 0, `${unscoped.join(", ")} on "*": name the resources (ARNs) instead`),
  ];
}

function policyDocumentProblems(document: unknown): string[] {
  const parsed = (typeof document === "string" ? JSON.parse(document) : document) as { Statement?: Statement | Statement[] };
  return ([] as Statement[]).concat(parsed?.Statement ?? []).flatMap(statementProblems);
}

const documentCheck: Check = (props) => policyDocumentProblems(props.policy);

export const iamPolicies = [
  resourcePolicy("iam-least-privilege", "IAM statements name their actions and resources", {
    "aws:iam/rolePolicy:RolePolicy": documentCheck,
    "aws:iam/policy:Policy": documentCheck,
    "aws:iam/role:Role": (role) => (role.inlinePolicies ?? []).flatMap((p: { policy?: string }) => policyDocumentProblems(p.policy ?? "{}")),
  }),
  resourcePolicy("no-broad-managed-policies", "No administrator-like AWS-managed policy is attached", {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (a) => problemIf(BROAD_MANAGED_POLICY.test(a.policyArn ?? ""), `${a.policyArn} grants far more than a service needs`),
    "aws:iam/role:Role": (role) =>
      list(role.managedPolicyArns)
        .filter((arn) => BROAD_MANAGED_POLICY.test(arn))
        .map((arn) => `${arn} grants far more than a service needs`),
  }),
];
