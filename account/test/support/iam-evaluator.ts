/**
 * A small stand-in for IAM's policy evaluation, for what deploy roles' documents hold (AWS's policy
 * simulator needs an account): Allow statements with glob actions and resources, and StringEquals,
 * StringLike and ArnLike conditions. A condition key missing from the request fails its condition,
 * as in IAM; an operator this does not know fails the test rather than being ignored.
 */
import { iamPattern } from "../../../stacks/policy/deploy-role-policies";
import type { Statement } from "../../deploy-permissions";

/** One API call as IAM authorizes it: the action, one resource ARN, and the request's condition keys. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

const glob = (pattern: string, value: string, flags = "") => iamPattern(pattern, flags).test(value);

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => glob(pattern, value),
  ArnLike: (pattern, value) => glob(pattern, value),
};

function conditionsHold(conditions: Statement["Condition"] = {}, context: Record<string, string>): boolean {
  return Object.entries(conditions).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`the evaluator does not know the condition operator ${operator}`);
    return Object.entries(keys).every(([key, allowed]) => key in context && ([] as string[]).concat(allowed).some((p) => test(p, context[key])));
  });
}

/** Whether `statements` allow `request` (IAM matches actions regardless of case, resources exactly). */
export function allows(statements: Statement[], request: AuthorizationRequest): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.some((a) => glob(a, request.action, "i")) &&
      s.Resource.some((r) => glob(r, request.resource)) &&
      conditionsHold(s.Condition, request.context ?? {}),
  );
}
