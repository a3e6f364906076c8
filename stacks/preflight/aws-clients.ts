/**
 * The AWS SDK clients the preflight asks, one per service, created once for the stack's region.
 * Credentials come from the SDK's default chain (environment, AWS_PROFILE and SSO, web identity,
 * instance or container role), as for the Pulumi AWS provider.
 */
import { ACMClient } from "@aws-sdk/client-acm";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { STSClient } from "@aws-sdk/client-sts";

export interface AwsClients {
  acm: ACMClient;
  ec2: EC2Client;
  iam: IAMClient;
  lambda: LambdaClient;
  sesv2: SESv2Client;
  sts: STSClient;
}

/** Clients for `region`; IAM is global, but a regional client still reaches it. */
export function createAwsClients(region: string): AwsClients {
  return {
    acm: new ACMClient({ region }),
    ec2: new EC2Client({ region }),
    iam: new IAMClient({ region }),
    lambda: new LambdaClient({ region }),
    sesv2: new SESv2Client({ region }),
    sts: new STSClient({ region }),
  };
}

/** Whether an SDK error carries one of these AWS error names (e.g. `NoSuchEntityException`). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** Access-denied errors as each service names them. */
export function isAccessDenied(error: unknown): boolean {
  return isAwsError(error, "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError");
}
