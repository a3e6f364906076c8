/**
 * Runs the policy pack's rules the way the policy engine does (one resource's type and inputs at
 * a time), collecting the violations they report.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { Props } from "../../policy/resource-policy";
import { securityPolicies } from "../../policy/security-policies";

export function policyNamed(name: string): ResourceValidationPolicy {
  const policy = securityPolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`the pack has no policy ${name}`);
  return policy;
}

/** What `policy` reports about a resource of `type` with inputs `props`. */
export async function violations(policy: ResourceValidationPolicy, type: string, props: Props): Promise<string[]> {
  const reported: string[] = [];
  const args: ResourceValidationArgs = {
    type,
    props,
    urn: `urn:pulumi:test::e_com::${type}::under-test`,
    name: "under-test",
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
  for (const validate of [policy.validateResource ?? []].flat()) {
    await validate(args, (message) => reported.push(message));
  }
  return reported;
}
