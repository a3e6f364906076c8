/**
 * Runs the real program for a stack under Pulumi's mocks: the stack's own `Pulumi.<stack>.yaml`
 * handed to the runtime as the Pulumi CLI would, `readStackConfig()` and `createPlatform()` as
 * `index.ts` calls them, and every resource recorded for the tests to inspect.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { createPlatform } from "../../platform";
import { readStackConfig, StackConfig } from "../../stack-config";
import { AccountStackOutputs, MOCK_ACCOUNT_STACK, RecordedResource, recordingMocks } from "./recording-mocks";
import { recordedQueries, RecordedQueries } from "./recorded-queries";

const ROOT = path.resolve(__dirname, "..", "..", "..");
export const STACKS = ["dev", "prod"] as const;
export const PROJECT = (load(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }).name;

/** The bundles are campaign/build.ts's and api/migrator-bundle.ts's business; these tests only need some archive. */
const STUB_CODE = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => {};") });

/** A stack file's config as the Pulumi CLI passes it to a program: strings, objects as JSON. */
export function stackConfigFile(stack: string): Record<string, string> {
  const file = load(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

export interface StackUnderTest extends RecordedQueries {
  stack: string;
  config: StackConfig;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the program for `stack`; `edit` may change the config first, `accountStack` is what the
 * account stack's outputs hold. Runs one at a time: mocks are global.
 */
export function runStack(
  stack: string,
  edit: (config: Record<string, string>) => void = () => undefined,
  accountStack: AccountStackOutputs = MOCK_ACCOUNT_STACK,
): Promise<StackUnderTest> {
  const run = queue.then(async () => {
    const resources: RecordedResource[] = [];
    await pulumi.runtime.setMocks(recordingMocks(resources, accountStack), PROJECT, stack, false);
    const raw = stackConfigFile(stack);
    edit(raw);
    pulumi.runtime.setAllConfig(raw);
    const config = readStackConfig();
    const outputs = (await pulumi.runtime.runInPulumiStack(async () => createPlatform(config, { campaignCode: STUB_CODE, migratorCode: STUB_CODE }))) ?? {};
    await pulumi.runtime.disconnect(); // waits for every registration still in flight
    return underTest(stack, config, resources, outputs);
  });
  queue = run.catch(() => undefined);
  return run;
}

const runs = new Map<string, Promise<StackUnderTest>>();
const once = (key: string, run: () => Promise<StackUnderTest>) => {
  if (!runs.has(key)) runs.set(key, run());
  return runs.get(key)!;
};

/** `runStack(stack)` with the committed config, run once and shared by every test file. */
export const committedStack = (stack: string) => once(stack, () => runStack(stack));

/** The optional settings no committed stack uses (yet). */
export const OPTIONAL = {
  https: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d", domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
  alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:on-call",
  reservedConcurrency: 10,
};

/** An edit for `runStack`: sets `field` of the structured key `key` (e.g. `campaign`) to `value`. */
export const withField = (key: string, field: string, value: unknown) => (raw: Record<string, string>) => {
  raw[`${PROJECT}:${key}`] = JSON.stringify({ ...JSON.parse(raw[`${PROJECT}:${key}`]), [field]: value });
};

/** The prod stack with every optional setting configured, run once. */
export const prodWithOptions = () =>
  once("prod+options", () =>
    runStack("prod", (raw) => {
      raw[`${PROJECT}:https`] = JSON.stringify(OPTIONAL.https);
      raw[`${PROJECT}:alarmTopicArn`] = OPTIONAL.alarmTopicArn;
      withField("campaign", "reservedConcurrency", OPTIONAL.reservedConcurrency)(raw);
    }),
  );

function underTest(stack: string, config: StackConfig, resources: RecordedResource[], outputs: Record<string, unknown>): StackUnderTest {
  return {
    stack,
    config,
    resources,
    outputs,
    ...recordedQueries(resources),
  };
}

/** `stack` with `paused: true`, run once. */
export const pausedStack = (stack: string) => once(`${stack}+paused`, () => runStack(stack, (raw) => (raw[`${PROJECT}:paused`] = "true")));
