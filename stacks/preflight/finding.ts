/**
 * What every check hands to the report: findings that are fine, worth a look, or would make the
 * first `pulumi up` fail, each problem with one line saying how to fix it.
 */
import type { AwsClients } from "./aws-clients";
import type { StackConfig } from "../stack-config";

export type Status = "ok" | "warning" | "failure";

export interface Finding {
  status: Status;
  message: string;
  /** One line: what to run or change. Present on every warning and failure. */
  fix?: string;
}

/** One section of the report: a check's title and findings. */
export interface CheckReport {
  title: string;
  findings: Finding[];
}

/** Who runs the preflight: the answer of STS `GetCallerIdentity`. */
export interface CallerIdentity {
  account: string;
  arn: string;
}

/** Everything a check may read; `clients` are created once, for the stack's region. */
export interface CheckContext {
  stack: string;
  config: StackConfig;
  clients: AwsClients;
  identity: CallerIdentity;
  /** `--fix`: create what is missing where that is safe (only service-linked roles). */
  fix: boolean;
}

export type Check = (context: CheckContext) => Promise<Finding[]>;

export const ok = (message: string): Finding => ({ status: "ok", message });
export const warning = (message: string, fix: string): Finding => ({ status: "warning", message, fix });
export const failure = (message: string, fix: string): Finding => ({ status: "failure", message, fix });
