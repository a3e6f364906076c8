/** The environment each service gets in a stack under test, as `name → value`. */
import assert from "node:assert/strict";
import { StackUnderTest } from "./stack-under-test";

/** The API task's one container definition. */
export function apiContainerOf(s: StackUnderTest) {
  const [container, ...others] = JSON.parse(s.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
  assert.equal(others.length, 0, "one container per task");
  return container;
}

export function apiEnvironmentOf(s: StackUnderTest): Record<string, string> {
  return Object.fromEntries(apiContainerOf(s).environment.map((e: { name: string; value: string }) => [e.name, e.value]));
}

export function functionEnvironmentOf(s: StackUnderTest): Record<string, string> {
  return s.one("aws:lambda/function:Function", "-campaign-fn").inputs.environment.variables;
}
