import assert from "node:assert/strict";
import { asPulumiSecret, RecordedResource } from "./support/recording-mocks";
import { apiEnvironmentOf, functionEnvironmentOf } from "./support/service-environment";
import { committedStack, PROJECT, runStack, StackUnderTest } from "./support/stack-under-test";

const PASSWORD = "random:index/randomPassword:RandomPassword";
const PREVIOUS_VARIABLE = "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN";

const atGeneration = (generation: number) => runStack("dev", (raw) => (raw[`${PROJECT}:unsubscribeKeyGeneration`] = String(generation)));
const keyOfGeneration = (s: StackUnderTest, generation: number) => s.one(PASSWORD, `-unsubscribe-signing-key-generation-${generation}`);
const storedIn = (s: StackUnderTest, role: "current" | "previous") =>
  s.one("aws:secretsmanager/secretVersion:SecretVersion", `-unsubscribe-signing-key-${role}-version`).inputs.secretString;
const secretArn = (s: StackUnderTest, role: string) => s.one("aws:secretsmanager/secret:Secret", `-unsubscribe-signing-key-${role}`).state.arn;
/** The resources the engine would compare between two runs: same name and inputs mean the same value. */
const identity = (r: RecordedResource) => ({ type: r.type, name: r.name, inputs: r.inputs });
const readableBy = (s: StackUnderTest, role: string): string[] =>
  JSON.parse(s.one("aws:iam/rolePolicy:RolePolicy", `-${role}-policy`).inputs.policy).Statement.find((st: { Action: string[] }) =>
    st.Action.includes("secretsmanager:GetSecretValue"),
  ).Resource;

describe("unsubscribe signing key rotation", () => {
  let first: StackUnderTest;
  let second: StackUnderTest;
  let third: StackUnderTest;
  before(async () => {
    first = await committedStack("dev");
    second = await atGeneration(2);
    third = await atGeneration(3);
  });

  it("when the key is at generation 1, then there is no previous key and neither service is told of one", () => {
    assert.equal(first.config.unsubscribeKeyGeneration, 1);
    assert.deepEqual(first.ofType("aws:secretsmanager/secret:Secret").filter((r) => r.name.endsWith("-previous")), []);
    assert.equal(PREVIOUS_VARIABLE in apiEnvironmentOf(first), false);
    assert.equal(PREVIOUS_VARIABLE in functionEnvironmentOf(first), false);
  });

  it("when the generation is raised, then generation 1's key stays the same resource and becomes the previous key, and generation 2's signs new links", () => {
    assert.deepEqual(identity(keyOfGeneration(second, 1)), identity(keyOfGeneration(first, 1)), "the engine keeps generation 1's value");
    assert.deepEqual(storedIn(second, "previous"), storedIn(first, "current"));
    assert.deepEqual(storedIn(second, "previous"), asPulumiSecret(keyOfGeneration(second, 1).state.result));
    assert.deepEqual(storedIn(second, "current"), asPulumiSecret(keyOfGeneration(second, 2).state.result));
    assert.notDeepEqual(storedIn(second, "current"), storedIn(second, "previous"));
  });

  it("when the generation is raised again, then generation 2's key becomes the previous one and generation 1's is gone", () => {
    assert.deepEqual(identity(keyOfGeneration(third, 2)), identity(keyOfGeneration(second, 2)));
    assert.deepEqual(storedIn(third, "previous"), storedIn(second, "current"));
    assert.deepEqual(
      third
        .ofType(PASSWORD)
        .map((r) => r.name.split("-unsubscribe-signing-key-")[1])
        .filter(Boolean)
        .sort(),
      ["generation-2", "generation-3"],
    );
  });

  it("when there is a previous key, then the API and the function get its secret's ARN and may read it", () => {
    const previous = secretArn(second, "previous");

    assert.equal(apiEnvironmentOf(second)[PREVIOUS_VARIABLE], previous);
    assert.equal(functionEnvironmentOf(second)[PREVIOUS_VARIABLE], previous);
    assert.equal(apiEnvironmentOf(second).UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN, secretArn(second, "current"));
    for (const role of ["api-task-role", "campaign-role"]) {
      assert.ok(readableBy(second, role).includes(previous), `${role} reads the previous key`);
      assert.ok(readableBy(second, role).includes(secretArn(second, "current")), `${role} reads the current key`);
    }
  });
});
