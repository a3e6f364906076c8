/**
 * SES account: out of the sandbox (a failure for prod, a warning for dev), sending enabled, and a
 * configured send rate the account's quota allows (SES throttles anything faster).
 */
import { GetAccountCommand, GetAccountCommandOutput } from "@aws-sdk/client-sesv2";
import { CheckContext, failure, Finding, ok, warning } from "./finding";

export async function checkSesAccount({ stack, config, clients }: CheckContext): Promise<Finding[]> {
  const account = await clients.sesv2.send(new GetAccountCommand({}));
  return [productionAccess(config.appEnv, config.region, account), sendingEnabled(config.region, account), sendRate(stack, config.campaign.sesMaxSendRate, account)];
}

function productionAccess(appEnv: string, region: string, account: GetAccountCommandOutput): Finding {
  const daily = account.SendQuota?.Max24HourSend;
  if (account.ProductionAccessEnabled) return ok(`Production access in ${region}: SES sends to any address, ${daily} emails a day.`);
  const review = account.Details?.ReviewDetails;
  const pending = review?.Status === "PENDING" ? ` A request is under review (case ${review.CaseId}).` : "";
  const message = `The account is in the SES sandbox in ${region}: it sends only to verified addresses, at most ${daily} emails a day.${pending}`;
  const fix =
    `request production access: SES console, Account dashboard, "Request production access", or aws sesv2 put-account-details --region ${region} ` +
    `--production-access-enabled --mail-type TRANSACTIONAL --website-url https://<your site> --use-case-description "<who gets which emails>"`;
  return appEnv === "prod" ? failure(`${message} Customers would get no welcome email.`, fix) : warning(`${message} Enough to try dev with verified test mailboxes.`, fix);
}

function sendingEnabled(region: string, account: GetAccountCommandOutput): Finding {
  const enforcement = account.EnforcementStatus ? ` (enforcement status ${account.EnforcementStatus})` : "";
  if (account.SendingEnabled) return ok(`Sending is enabled${enforcement}.`);
  return failure(
    `Sending is disabled for the account in ${region}${enforcement}: every email fails.`,
    `if you paused it: aws sesv2 put-account-sending-attributes --sending-enabled --region ${region}; if AWS did, see the SES console's "Reputation metrics" and answer its case`,
  );
}

function sendRate(stack: string, configured: number, account: GetAccountCommandOutput): Finding {
  const quota = account.SendQuota?.MaxSendRate ?? 0;
  if (configured <= quota) return ok(`campaign.sesMaxSendRate ${configured} emails/s is within the account's quota of ${quota}.`);
  return failure(
    `campaign.sesMaxSendRate is ${configured} emails/s but the account's quota is ${quota}: emails beyond it would be throttled.`,
    `set it to ${quota} (pulumi config set --path campaign.sesMaxSendRate ${quota} --stack ${stack}), or raise the quota first (SES console, "Request a sending quota increase")`,
  );
}
