/**
 * `npm run preflight -- <stack> [--fix]`: before the first `pulumi up` of a stack, asks AWS what
 * would fail and says how to fix each item. Exit code 0: nothing would fail (warnings allowed);
 * 1: something would; 2: a usage error (unknown stack, missing file, invalid configuration).
 */
import { parseArgs } from "node:util";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { checkAccountQuotas } from "./account-quotas";
import { createAwsClients, isAccessDenied } from "./aws-clients";
import { checkDeployerPermissions } from "./deployer-permissions";
import { CallerIdentity, Check, CheckContext, CheckReport, failure, warning } from "./finding";
import { checkHttpsCertificate } from "./https-certificate";
import { checkLambdaConcurrency } from "./lambda-concurrency";
import { exitCodeOf, formatReport } from "./report";
import { checkServiceLinkedRoles } from "./service-linked-roles";
import { checkSesAccount } from "./ses-account";
import { checkSesSender } from "./ses-sender";
import { readStackFile, UsageError } from "./stack-file";

const USAGE = "usage: npm run preflight -- <stack> [--fix]    (--fix creates the missing service-linked roles)";

/** Report sections, in order. */
const CHECKS: Record<string, Check> = {
  "Lambda concurrency": checkLambdaConcurrency,
  "SES account": checkSesAccount,
  "SES sender": checkSesSender,
  "Service-linked roles": checkServiceLinkedRoles,
  "Deployer permissions": checkDeployerPermissions,
  "Account quotas (EC2)": checkAccountQuotas,
  "HTTPS certificate": checkHttpsCertificate,
};

export interface PreflightOptions {
  /** Folder holding `Pulumi.yaml` and the stack files; default the repository root. */
  root?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Runs the preflight for `argv` (`<stack> [--fix]`) and answers the exit code. */
export async function runPreflight(argv: string[], options: PreflightOptions = {}): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  let setup: Omit<CheckContext, "identity">;
  try {
    setup = prepare(argv, options.root);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr(`${error.message}\n${USAGE}\n`);
    return 2;
  }

  const { stack, config, clients } = setup;
  let identity: CallerIdentity;
  try {
    const answer = await clients.sts.send(new GetCallerIdentityCommand({}));
    identity = { account: answer.Account ?? "", arn: answer.Arn ?? "" };
  } catch (error) {
    const signIn = failure(`Could not sign in to AWS: ${(error as Error).message}`, "give the AWS SDK credentials, e.g. aws sso login --profile <p> && export AWS_PROFILE=<p>");
    stdout(formatReport(`Preflight of stack ${stack}, region ${config.region}`, [{ title: "AWS credentials", findings: [signIn] }]));
    return 1;
  }

  const reports = await Promise.all(Object.entries(CHECKS).map(([title, check]) => runCheck(title, check, { ...setup, identity })));
  stdout(formatReport(`Preflight of stack ${stack}: account ${identity.account}, region ${config.region}, as ${identity.arn}`, reports));
  return exitCodeOf(reports);
}

/** Everything a check needs but the caller: arguments, the validated stack file, the clients. */
function prepare(argv: string[], root: string | undefined): Omit<CheckContext, "identity"> {
  const { stack, fix } = parseArguments(argv);
  const config = readStackFile(stack, root);
  return { stack, fix, config, clients: createAwsClients(config.region) };
}

function parseArguments(argv: string[]): { stack: string; fix: boolean } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { fix: { type: "boolean", default: false } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "Which stack? Name one, e.g. dev." : `One stack at a time, not ${positionals.join(" ")}.`);
    return { stack: positionals[0], fix: values.fix ?? false };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** A check AWS would not answer becomes a warning: the rest of the report still helps. */
async function runCheck(title: string, check: Check, context: CheckContext): Promise<CheckReport> {
  try {
    return { title, findings: await check(context) };
  } catch (error) {
    const { name, message } = error as Error;
    const fix = isAccessDenied(error) ? "allow the preflight's read-only calls (docs/preflight.md) to the identity running it" : "run the preflight again";
    return { title, findings: [warning(`Could not check: ${name}: ${message}`, fix)] };
  }
}

if (require.main === module) {
  runPreflight(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
