/**
 * What this environment takes from the long-lived account stack (`account/`), read through a
 * StackReference: the SES identity welcome emails are sent from, and the identities the function
 * may send to while the account is in the SES sandbox. They outlive every environment's `destroy`.
 * Read as plain values, so a wrong sender stops the program before it declares anything.
 */
import * as pulumi from "@pulumi/pulumi";

export interface AccountStack {
  /** A domain (`example.com`) or an email address: what SES lets this account send as. */
  senderIdentity: string;
  senderIdentityArn: string;
  /** Verified recipient identities; SES's sandbox sends only to them. Empty once out of the sandbox. */
  sandboxRecipientIdentityArns: string[];
}

/** Reads the account stack named `stackName` (`organization/e_com-account/main`). */
export async function readAccountStack(stackName: string): Promise<AccountStack> {
  const reference = new pulumi.StackReference(stackName);
  const read = async (name: string) => {
    const details = await reference.getOutputDetails(name);
    return details.value ?? details.secretValue;
  };
  const required = async (name: string) => {
    const value = await read(name);
    if (typeof value !== "string" || value === "") {
      throw new Error(`The account stack ${stackName} has no output ${name}: deploy the account stack (account/) first`);
    }
    return value;
  };
  return {
    senderIdentity: await required("senderIdentity"),
    senderIdentityArn: await required("senderIdentityArn"),
    sandboxRecipientIdentityArns: ((await read("sandboxRecipientIdentityArns")) as string[] | undefined) ?? [],
  };
}

/**
 * `senderEmail` when SES lets the account send as it: it is the identity itself, or an address at
 * the identity's domain. Otherwise every email would be refused, so the deployment stops here.
 */
export function checkSenderEmail(senderEmail: string, senderIdentity: string): string {
  const sender = senderEmail.toLowerCase();
  const identity = senderIdentity.toLowerCase();
  const isDomain = !identity.includes("@");
  if (sender === identity || (isDomain && sender.slice(sender.lastIndexOf("@") + 1) === identity)) return senderEmail;
  throw new Error(
    `campaign.senderEmail ${senderEmail} cannot be sent from the account stack's SES identity ${senderIdentity}: ` +
      (isDomain ? `use an address at ${senderIdentity}` : `use ${senderIdentity} itself`),
  );
}
