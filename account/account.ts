/**
 * Everything the AWS account keeps across the environments' lives, composed from its components.
 * `index.ts` calls this with the stack's configuration; the tests call it the same way under mocks.
 * Per-account settings (SES's reputation alarms, later e.g. its account-level suppression) belong
 * here too; what each environment owns (configuration sets, queues) stays in its own stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { AccountConfig } from "./account-config";
import { DeployRoles } from "./deploy-roles";
import { ReputationAlarms } from "./reputation-alarms";
import { DnsRecord, SenderIdentity } from "./sender-identity";

/** The environments CI deploys, each through the GitHub environment and deploy role of its name. */
export const DEPLOY_ENVIRONMENTS = ["dev", "prod"] as const;

/** The stack outputs the environments read through their StackReference; never a secret. */
export interface AccountOutputs {
  /** The identity's domain (send from any address at it) or email address. */
  senderIdentity: string;
  senderIdentityArn: pulumi.Output<string>;
  sandboxRecipientIdentityArns: pulumi.Output<string[]>;
  deployRoleArns: Record<(typeof DEPLOY_ENVIRONMENTS)[number], pulumi.Output<string>>;
  /** The three CNAME records Easy DKIM needs in the domain's DNS; empty for an email address. */
  dkimRecords: pulumi.Output<DnsRecord[]>;
}

export function createAccount(config: AccountConfig): AccountOutputs {
  const sender = new SenderIdentity("ecom-sender", { sender: config.sender, sandboxRecipients: config.sandboxRecipients });
  const deploy = new DeployRoles("ecom-deploy", { ...config.github, environments: DEPLOY_ENVIRONMENTS, region: config.region });
  new ReputationAlarms("ecom-ses-reputation", { alarmTopicArn: config.alarmTopicArn });

  return {
    senderIdentity: sender.identity,
    senderIdentityArn: sender.arn,
    sandboxRecipientIdentityArns: sender.sandboxRecipientArns,
    deployRoleArns: { dev: deploy.roleArns.dev, prod: deploy.roleArns.prod },
    dkimRecords: sender.dkimRecords,
  };
}
