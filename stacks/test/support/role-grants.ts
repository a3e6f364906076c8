/** What a service role of a stack under test may do, and who may assume it. */
import assert from "node:assert/strict";
import { RecordedResource } from "./recording-mocks";
import { StackUnderTest } from "./stack-under-test";

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** The role's inline policy as `action → resources`, failing on anything but plain Allow statements. */
export function grantsOf(s: StackUnderTest, role: RecordedResource): Record<string, string[]> {
  const policies = s.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.state.name);
  assert.equal(policies.length, 1, `${role.name} has one inline policy`);
  const grants: Record<string, string[]> = {};
  for (const st of JSON.parse(policies[0].inputs.policy).Statement as Statement[]) {
    assert.deepEqual(Object.keys(st).sort(), ["Action", "Effect", "Resource"]);
    assert.equal(st.Effect, "Allow");
    for (const action of st.Action) grants[action] = [...(grants[action] ?? []), ...st.Resource];
  }
  return grants;
}

/** The one AWS service the role trusts. */
export function trustedService(role: RecordedResource): string {
  const [statement, ...others] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
  assert.equal(others.length, 0);
  assert.equal(statement.Action, "sts:AssumeRole");
  return statement.Principal.Service;
}
