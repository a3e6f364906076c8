/**
 * CI deploy roles are not service roles. They create what a whole environment holds, so they read
 * with `Describe*`/`List*` on `"*"` and scope EC2 by the environment's tag, where
 * `iam-least-privilege` would demand an ARN for every action. Their own rules instead:
 *   - deploy-role-trust-pinned: only GitHub's OIDC tokens for one repository environment assume them;
 *   - deploy-role-least-privilege: named actions; writes on named resources or under a scoping
 *     condition; IAM only on roles named by a prefix, never on the deploy roles themselves.
 * Which roles are deploy roles: those under DEPLOY_ROLE_PATH (their policies too), and any role
 * trusting web identities, so that no CI role escapes the trust rule by living elsewhere.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import {
  DEPLOY_ACTIONS_ON_ANY_RESOURCE,
  DEPLOY_ROLE_PATH,
  FORBIDDEN_DEPLOY_IAM_ACTION,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  REPOSITORY_ENVIRONMENT_SUBJECT,
  SCOPING_CONDITION_KEY,
} from "./deploy-role-actions";
import { list, Statement as PolicyStatement } from "./iam-policies";
import { Props, problemIf, resourcePolicy } from "./resource-policy";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";

type Conditions = Record<string, Record<string, string | string[]>>;
interface Statement extends PolicyStatement {
  Principal?: { Federated?: string | string[] } & Record<string, unknown>;
  Condition?: Conditions;
}

const statementsOf = (document: unknown): Statement[] =>
  ([] as Statement[]).concat(((typeof document === "string" ? JSON.parse(document) : document) as { Statement?: Statement[] })?.Statement ?? []);
const isDeployDocument = (props: Props) => props.path === DEPLOY_ROLE_PATH;
/** An IAM pattern (`*` any characters, `?` one) as a regular expression for the whole value. */
export const iamPattern = (pattern: string, flags = "") =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, flags);

function trustProblems(role: Props): string[] {
  const statements = statementsOf(role.assumeRolePolicy ?? "{}");
  const trustsWebIdentities = statements.some((s) => s.Principal?.Federated !== undefined || list(s.Action).includes("sts:AssumeRoleWithWebIdentity"));
  if (!isDeployDocument(role) && !trustsWebIdentities) return [];
  if (statements.length !== 1) return [`the trust policy has ${statements.length} statements; a deploy role trusts one repository environment, in one`];
  const [s] = statements;
  const equals = s.Condition?.StringEquals ?? {};
  const federated = list(s.Principal?.Federated);
  const subjects = list(equals[`${GITHUB_OIDC_HOST}:sub`]);
  return [
    ...problemIf(s.Effect !== "Allow" || list(s.Action).join() !== "sts:AssumeRoleWithWebIdentity", "the trust policy must allow sts:AssumeRoleWithWebIdentity and nothing else"),
    ...problemIf(federated.length !== 1 || !federated[0].endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`), `the only principal must be GitHub's OIDC provider (${GITHUB_OIDC_HOST})`),
    ...problemIf(list(equals[`${GITHUB_OIDC_HOST}:aud`]).join() !== GITHUB_OIDC_AUDIENCE, `StringEquals ${GITHUB_OIDC_HOST}:aud must be ${GITHUB_OIDC_AUDIENCE}`),
    ...problemIf(
      subjects.length !== 1 || !REPOSITORY_ENVIRONMENT_SUBJECT.test(subjects[0]),
      `StringEquals ${GITHUB_OIDC_HOST}:sub must be one repo:<owner>/<repo>:environment:<name>, without wildcards`,
    ),
  ];
}

/** `"*"`, or every resource of a service or type (`arn:aws:ec2:us-east-1:123456789012:*`). */
const onAnyResource = (resource: string) => resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:([\w-]+[:/])?\*$/.test(resource);
const isRead = (action: string) => /^[\w-]+:(Describe|List)[\w*]*$/.test(action);
const scopedByCondition = (conditions: Conditions = {}) =>
  Object.entries(conditions).some(([operator, keys]) => /^(String|Arn)(Equals|Like)$/.test(operator) && Object.keys(keys).some((k) => SCOPING_CONDITION_KEY.test(k)));

/** An IAM resource must name roles or policies by a prefix, which cannot reach the deploy roles. */
function iamResourceProblems(resource: string): string[] {
  const name = resource.match(/^arn:[\w-]+:iam::\d{12}:(?:role|policy)\/(.*)$/)?.[1];
  if (name === undefined || !/^[^*?]{3}/.test(name)) return [`IAM actions on ${resource}: name roles by a prefix, like role/ecom-dev-*`];
  return problemIf(iamPattern(name).test(`${DEPLOY_ROLE_PATH.slice(1)}any`), `IAM actions on ${resource} reach the deploy roles (${DEPLOY_ROLE_PATH})`);
}

function statementProblems(s: Statement): string[] {
  if (s.Effect !== "Allow") return [];
  const actions = list(s.Action);
  const resources = list(s.Resource);
  const unscoped =
    resources.some(onAnyResource) && !scopedByCondition(s.Condition) ? actions.filter((a) => !isRead(a) && !DEPLOY_ACTIONS_ON_ANY_RESOURCE.has(a)) : [];
  // IAM matches action names regardless of case, and a pattern would take in what is forbidden by name.
  const iam = actions.filter((a) => /^iam:/i.test(a));
  return [
    ...problemIf(s.NotAction !== undefined || s.NotResource !== undefined, "Allow with NotAction/NotResource grants everything else"),
    ...problemIf(actions.some((a) => a === "*" || a.endsWith(":*")), `wildcard action in ${actions.join(", ")}: name the actions`),
    ...problemIf(unscoped.length > 0, `${unscoped.join(", ")} on every resource: name the environment's resources, or scope them by its tag`),
    ...iam.filter((a) => /[*?]/.test(a)).map((a) => `${a}: name IAM actions one by one`),
    ...iam.filter((a) => FORBIDDEN_DEPLOY_IAM_ACTION.test(a)).map((a) => `${a} is not for deploy roles: the program's roles carry inline policies only`),
    ...(iam.length > 0 ? resources.flatMap(iamResourceProblems) : []),
    ...problemIf(
      iam.some((a) => a.toLowerCase() === "iam:passrole") && !s.Condition?.StringEquals?.["iam:PassedToService"],
      "iam:PassRole needs a StringEquals iam:PassedToService condition",
    ),
  ];
}

const documentProblems = (document: unknown) => statementsOf(document).flatMap(statementProblems);

export const deployRolePolicies = [
  resourcePolicy("deploy-role-trust-pinned", "Deploy roles trust GitHub's OIDC tokens for one repository environment only", {
    [ROLE]: trustProblems,
  }),
  resourcePolicy("deploy-role-least-privilege", "Deploy roles name their actions, write to the environment's resources only, and manage no IAM but its roles", {
    [POLICY]: (p) => (isDeployDocument(p) ? documentProblems(p.policy) : []),
    [ROLE]: (role) => (isDeployDocument(role) ? (role.inlinePolicies ?? []).flatMap((p: { policy?: string }) => documentProblems(p.policy ?? "{}")) : []),
  }),
];

/** `iam-least-privilege` among `policies` leaves the documents under DEPLOY_ROLE_PATH to the rules above. */
export function exceptDeployRoles(policies: ResourceValidationPolicy[]): ResourceValidationPolicy[] {
  return policies.map((policy) => {
    const validate = policy.validateResource;
    if (policy.name !== "iam-least-privilege" || typeof validate !== "function") return policy;
    return {
      ...policy,
      validateResource: (args, report) => ([ROLE, POLICY].includes(args.type) && isDeployDocument(args.props) ? undefined : validate(args, report)),
    };
  });
}
