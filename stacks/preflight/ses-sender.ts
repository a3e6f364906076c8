/**
 * SES sender: `campaign.senderEmail` must be verified for sending in the stack's region, as an
 * address identity or through its domain's identity (DKIM). The identity belongs to the account
 * stack (`account/`), so an environment's `destroy` never deletes it.
 */
import { GetEmailIdentityCommand, GetEmailIdentityCommandOutput, SESv2Client } from "@aws-sdk/client-sesv2";
import { isAwsError } from "./aws-clients";
import { CheckContext, failure, Finding, ok } from "./finding";

/** Domains reserved for documentation (RFC 2606): the committed config's placeholders. */
const PLACEHOLDER_DOMAIN = /(^|\.)example(\.(com|net|org))?$/i;

export async function checkSesSender({ config, clients }: CheckContext): Promise<Finding[]> {
  const address = config.campaign.senderEmail;
  const domain = address.slice(address.lastIndexOf("@") + 1);
  return [await senderFinding(clients.sesv2, address, domain, config.region, config.accountStack)];
}

async function senderFinding(ses: SESv2Client, address: string, domain: string, region: string, accountStack: string): Promise<Finding> {
  const addressIdentity = await findIdentity(ses, address);
  if (addressIdentity?.VerifiedForSendingStatus) return ok(`${address} is verified for sending in ${region} (address identity).`);
  const domainIdentity = await findIdentity(ses, domain);
  const dkim = domainIdentity?.DkimAttributes?.Status ?? "NOT_STARTED";
  if (domainIdentity?.VerifiedForSendingStatus) return ok(`${address} may send through the verified domain identity ${domain} in ${region} (DKIM ${dkim}).`);

  if (domainIdentity) {
    return failure(
      `The domain identity ${domain} is not verified for sending in ${region} (DKIM ${dkim}): SES refuses mail from ${address}.`,
      `publish the DKIM CNAME records in ${domain}'s DNS (pulumi stack output dkimRecords --stack ${accountStack}) and wait for DKIM SUCCESS (up to 72 hours)`,
    );
  }
  if (addressIdentity) {
    return failure(
      `The address identity ${address} waits for its verification link in ${region}: SES refuses mail from it.`,
      `open the link AWS emailed to ${address} (valid 24 hours); to get a new one: aws ses verify-email-identity --email-address ${address} --region ${region}`,
    );
  }
  const placeholder = PLACEHOLDER_DOMAIN.test(domain) ? ` ${domain} is a placeholder: set campaign.senderEmail to an address you own.` : "";
  return failure(
    `Neither ${address} nor ${domain} is an SES identity in ${region}: SES refuses mail from it.${placeholder}`,
    `create it with the account stack (account/, pulumi up --stack ${accountStack}), then publish its DKIM records or open the verification email`,
  );
}

/** The identity, or undefined when SES has none by that name. */
async function findIdentity(ses: SESv2Client, identity: string): Promise<GetEmailIdentityCommandOutput | undefined> {
  try {
    return await ses.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
  } catch (error) {
    if (isAwsError(error, "NotFoundException")) return undefined;
    throw error;
  }
}
