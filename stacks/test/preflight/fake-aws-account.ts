/**
 * A fake AWS account for the preflight's tests. AWS does not exist on this machine and has no
 * local stand-in for these APIs, so aws-sdk-client-mock answers every SDK call the preflight makes
 * from a plain description of an account. The fake keeps state (a role created by `--fix` exists
 * afterwards) and answers with AWS's own exception types where AWS would fail.
 */
import { ACMClient, DescribeCertificateCommand, DescribeCertificateCommandInput, ResourceNotFoundException } from "@aws-sdk/client-acm";
import { DescribeAccountAttributesCommand, DescribeAddressesCommand, DescribeVpcsCommand, DescribeVpcsCommandInput, EC2Client } from "@aws-sdk/client-ec2";
import * as iam from "@aws-sdk/client-iam";
import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetAccountCommand, GetEmailIdentityCommand, GetEmailIdentityCommandInput, NotFoundException, SESv2Client } from "@aws-sdk/client-sesv2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { createAwsClients } from "../../preflight/aws-clients";
import type { CheckContext } from "../../preflight/finding";
import { SERVICE_LINKED_ROLES } from "../../preflight/service-linked-roles";
import { readStackFile } from "../../preflight/stack-file";
import type { StackConfig } from "../../stack-config";

export const ACCOUNT = "111122223333";
export const DEPLOY_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deploy/ecom-deployer`;
export const CERTIFICATE_ARN = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/5e8f3c2a-7b1d-4c9e-a0f6-2d4b8e1c7a93`;

export interface FakeAccount {
  /** Whether the SDK found credentials; without, every call fails as the default chain does. */
  signedIn: boolean;
  /** Who the credentials belong to, as STS `GetCallerIdentity` answers. */
  callerArn: string;
  /** IAM roles by name (the deploy role, service-linked roles). */
  roles: Record<string, string>;
  lambda: { limit: number; unreserved: number };
  ses: { production: boolean; sendingEnabled: boolean; maxSendRate: number; max24HourSend: number };
  /** SES identities (addresses and domains) by name. */
  identities: Record<string, { verified: boolean; dkim?: "SUCCESS" | "PENDING" | "FAILED" | "NOT_STARTED" }>;
  /** Actions the policy simulator denies; everything else is allowed. */
  denied: Record<string, "implicitDeny" | "explicitDeny">;
  /** Read actions the caller may not call (e.g. `iam:SimulatePrincipalPolicy`). */
  forbidden: string[];
  elasticIps: { quota: number; allocated: number };
  vpcs: number;
  certificates: Record<string, { domainName: string; alternativeNames?: string[]; status: string }>;
}

/** An account ready for both stacks: production SES, every role, room in every quota. */
export function healthyAccount(): FakeAccount {
  return {
    signedIn: true,
    callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ecom-deployer/alice`,
    roles: { "ecom-deployer": DEPLOY_ROLE_ARN, ...Object.fromEntries(Object.keys(SERVICE_LINKED_ROLES).map((name) => [name, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${name}`])) },
    lambda: { limit: 1000, unreserved: 1000 },
    ses: { production: true, sendingEnabled: true, maxSendRate: 14, max24HourSend: 50_000 },
    identities: { "example.com": { verified: true, dkim: "SUCCESS" } },
    denied: {},
    forbidden: [],
    elasticIps: { quota: 5, allocated: 0 },
    vpcs: 1,
    certificates: { [CERTIFICATE_ARN]: { domainName: "api.example.com", status: "ISSUED" } },
  };
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

/** Installs the fake for every client of these classes until `restore()`. */
export function installFakeAccount(account: FakeAccount): { restore(): void } {
  const denyUnlessAllowed = (action: string) => {
    if (account.forbidden.includes(action)) throw awsError("AccessDenied", `User: ${account.callerArn} is not authorized to perform: ${action}`);
  };
  const stubs = [fakeIdentityAndIam(account, denyUnlessAllowed), ...fakeServices(account, denyUnlessAllowed)];
  return { restore: () => stubs.flat().forEach((stub) => stub.restore()) };
}

function fakeIdentityAndIam(account: FakeAccount, check: (action: string) => void) {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).callsFake(() => {
    if (!account.signedIn) throw awsError("CredentialsProviderError", "Could not load credentials from any providers");
    return { Account: ACCOUNT, Arn: account.callerArn };
  });
  const client = mockClient(iam.IAMClient);
  client.on(iam.GetRoleCommand).callsFake(({ RoleName }: iam.GetRoleCommandInput) => {
    check("iam:GetRole");
    const arn = account.roles[RoleName!];
    if (!arn) throw new iam.NoSuchEntityException({ message: `The role with name ${RoleName} cannot be found.`, $metadata: {} });
    return { Role: { RoleName, Arn: arn } };
  });
  client.on(iam.CreateServiceLinkedRoleCommand).callsFake(({ AWSServiceName }: iam.CreateServiceLinkedRoleCommandInput) => {
    check("iam:CreateServiceLinkedRole");
    const name = Object.keys(SERVICE_LINKED_ROLES).find((role) => SERVICE_LINKED_ROLES[role] === AWSServiceName);
    if (!name) throw new iam.InvalidInputException({ message: `Unknown service ${AWSServiceName}`, $metadata: {} });
    account.roles[name] = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${name}`;
    return { Role: { RoleName: name, Arn: account.roles[name] } };
  });
  client.on(iam.SimulatePrincipalPolicyCommand).callsFake(({ PolicySourceArn, ActionNames, Marker }: iam.SimulatePrincipalPolicyCommandInput) => {
    check("iam:SimulatePrincipalPolicy");
    const principals = [...Object.values(account.roles), account.callerArn.includes(":user/") ? account.callerArn : ""];
    if (!principals.includes(PolicySourceArn!)) throw new iam.InvalidInputException({ message: `Invalid ARN ${PolicySourceArn}`, $metadata: {} });
    // Pages of 20, as IAM truncates long answers.
    const start = Number(Marker ?? 0);
    const page = ActionNames!.slice(start, start + 20);
    const truncated = start + 20 < ActionNames!.length;
    return {
      EvaluationResults: page.map((action) => ({ EvalActionName: action, EvalResourceName: "*", EvalDecision: account.denied[action] ?? "allowed" })),
      IsTruncated: truncated,
      Marker: truncated ? String(start + 20) : undefined,
    };
  });
  return [sts, client];
}

function fakeServices(account: FakeAccount, check: (action: string) => void) {
  const lambda = mockClient(LambdaClient);
  lambda.on(GetAccountSettingsCommand).callsFake(() => {
    check("lambda:GetAccountSettings");
    return { AccountLimit: { ConcurrentExecutions: account.lambda.limit, UnreservedConcurrentExecutions: account.lambda.unreserved } };
  });

  const ses = mockClient(SESv2Client);
  ses.on(GetAccountCommand).callsFake(() => ({
    ProductionAccessEnabled: account.ses.production,
    SendingEnabled: account.ses.sendingEnabled,
    EnforcementStatus: "HEALTHY",
    SendQuota: { MaxSendRate: account.ses.maxSendRate, Max24HourSend: account.ses.max24HourSend, SentLast24Hours: 0 },
  }));
  ses.on(GetEmailIdentityCommand).callsFake(({ EmailIdentity }: GetEmailIdentityCommandInput) => {
    const identity = account.identities[EmailIdentity!];
    if (!identity) throw new NotFoundException({ message: `Email identity ${EmailIdentity} does not exist.`, $metadata: {} });
    const isDomain = !EmailIdentity!.includes("@");
    return {
      IdentityType: isDomain ? "DOMAIN" : "EMAIL_ADDRESS",
      VerifiedForSendingStatus: identity.verified,
      DkimAttributes: isDomain ? { Status: identity.dkim ?? "NOT_STARTED", SigningEnabled: true } : undefined,
    };
  });

  const ec2 = mockClient(EC2Client);
  ec2.on(DescribeAccountAttributesCommand).callsFake(() => ({
    AccountAttributes: [
      { AttributeName: "supported-platforms", AttributeValues: [{ AttributeValue: "VPC" }] },
      { AttributeName: "vpc-max-elastic-ips", AttributeValues: [{ AttributeValue: String(account.elasticIps.quota) }] },
    ],
  }));
  ec2.on(DescribeAddressesCommand).callsFake(() => ({
    Addresses: Array.from({ length: account.elasticIps.allocated }, (_, i) => ({ AllocationId: `eipalloc-${i}`, Domain: "vpc" })),
  }));
  // Pages of 2 VPCs, as EC2 paginates.
  ec2.on(DescribeVpcsCommand).callsFake(({ NextToken }: DescribeVpcsCommandInput) => {
    const start = Number(NextToken ?? 0);
    const vpcs = Array.from({ length: Math.max(0, Math.min(2, account.vpcs - start)) }, (_, i) => ({ VpcId: `vpc-${start + i}` }));
    return { Vpcs: vpcs, NextToken: start + 2 < account.vpcs ? String(start + 2) : undefined };
  });

  const acm = mockClient(ACMClient);
  acm.on(DescribeCertificateCommand).callsFake(({ CertificateArn }: DescribeCertificateCommandInput) => {
    const certificate = account.certificates[CertificateArn!];
    if (!certificate) throw new ResourceNotFoundException({ message: `Could not find certificate ${CertificateArn}.`, $metadata: {} });
    return { Certificate: { CertificateArn, DomainName: certificate.domainName, SubjectAlternativeNames: certificate.alternativeNames ?? [certificate.domainName], Status: certificate.status } };
  });
  return [lambda, ses, ec2, acm];
}

/** The committed configuration of `stack`, with `edit` applied. */
export function stackConfig(stack: "dev" | "prod", edit: (config: StackConfig) => void = () => undefined): StackConfig {
  const config = readStackFile(stack);
  edit(config);
  return config;
}

/** What a check receives when run against the fake account as `account.callerArn`. */
export function checkContext(account: FakeAccount, config: StackConfig, fix = false): CheckContext {
  return { stack: config.appEnv, config, fix, clients: createAwsClients(config.region), identity: { account: ACCOUNT, arn: account.callerArn } };
}

/** Mocha hooks: a fresh healthy account installed before each test, the SDK restored after it. */
export function useFakeAccount(): () => FakeAccount {
  let account: FakeAccount;
  let fake: { restore(): void };
  beforeEach(() => {
    account = healthyAccount();
    fake = installFakeAccount(account);
  });
  afterEach(() => fake.restore());
  return () => account;
}
