/**
 * Runs the account stack's program under Pulumi's mocks: `Pulumi.main.yaml` handed to the runtime
 * as the Pulumi CLI would (optionally edited), `readAccountConfig()` and `createAccount()` as
 * `index.ts` calls them, and every resource recorded for the tests to inspect.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { MOCK_ACCOUNT, RecordedResource, recordingMocks } from "../../../stacks/test/support/recording-mocks";
import { createAccount } from "../../account";
import { AccountConfig, readAccountConfig } from "../../account-config";
import { recordedQueries, RecordedQueries } from "../../../stacks/test/support/recorded-queries";

export const ACCOUNT_DIR = path.resolve(__dirname, "..", "..");
export const ACCOUNT_PROJECT = (load(readFileSync(path.join(ACCOUNT_DIR, "Pulumi.yaml"), "utf8")) as { name: string }).name;
export const ACCOUNT_STACK = "main";
/** The DKIM tokens the mocked SES hands out for a domain identity (AWS generates three). */
export const MOCK_DKIM_TOKENS = ["abcdefghijklmnopqrstuvwxyz123456", "bcdefghijklmnopqrstuvwxyz1234567", "cdefghijklmnopqrstuvwxyz12345678"];

/** `Pulumi.main.yaml`'s config as the Pulumi CLI passes it to a program: strings, objects as JSON. */
export function accountConfigFile(): Record<string, string> {
  const file = load(readFileSync(path.join(ACCOUNT_DIR, `Pulumi.${ACCOUNT_STACK}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Sets `e_com-account:<key>` in a raw config, e.g. `setKey(raw, "sender", { email: … })`. */
export const setKey = (raw: Record<string, string>, key: string, value: unknown) => (raw[`${ACCOUNT_PROJECT}:${key}`] = JSON.stringify(value));

export interface AccountUnderTest extends RecordedQueries {
  config: AccountConfig;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

/**
 * The shared recording mocks, answering as AWS does where the account stack depends on it: SES gives
 * a domain identity its DKIM tokens, and IAM names an OIDC provider after its issuer.
 */
function accountMocks(recorded: RecordedResource[]): pulumi.runtime.Mocks {
  const mocks = recordingMocks(recorded);
  return {
    ...mocks,
    newResource(args) {
      const answer = mocks.newResource(args) as { id: string; state: Record<string, unknown> };
      if (args.type === "aws:sesv2/emailIdentity:EmailIdentity" && !String(args.inputs.emailIdentity).includes("@")) {
        answer.state.dkimSigningAttributes = { tokens: MOCK_DKIM_TOKENS, status: "PENDING", nextSigningKeyLength: "RSA_2048_BIT" };
      }
      if (args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
        answer.state.arn = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${new URL(args.inputs.url).host}`;
      }
      return answer;
    },
  };
}

/** Runs the account program with `Pulumi.main.yaml`, after `edit`. Run one at a time: mocks are global. */
export async function runAccount(edit: (config: Record<string, string>) => void = () => undefined): Promise<AccountUnderTest> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(accountMocks(resources), ACCOUNT_PROJECT, ACCOUNT_STACK, false);
  const raw = accountConfigFile();
  edit(raw);
  pulumi.runtime.setAllConfig(raw);
  const config = readAccountConfig();
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => createAccount(config))) ?? {};
  await pulumi.runtime.disconnect(); // waits for every registration still in flight
  return {
    config,
    resources,
    outputs,
    ...recordedQueries(resources),
  };
}

/** The committed account stack, run once and shared by the test files. */
let committed: Promise<AccountUnderTest> | undefined;
export const committedAccount = () => (committed ??= runAccount());
