/**
 * The SES identity the environments send from. A domain identity signs with Easy DKIM once its
 * three CNAME records are in the domain's DNS, and lets any address at the domain send; an
 * email-address identity (a small team without access to DNS) is verified by opening a link.
 * In the SES sandbox, each recipient must be a verified identity too.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** `{ domain }` (with an optional custom MAIL FROM subdomain) or `{ email }`. */
export type Sender = { domain: string; mailFromSubdomain?: string; email?: undefined } | { email: string; domain?: undefined };

/** A DNS record to publish for the domain, as the DNS provider asks for it. */
export interface DnsRecord {
  name: string;
  type: "CNAME";
  value: string;
}

export interface SenderIdentityArgs {
  sender: Sender;
  /** Addresses to verify so that a sandboxed account can send to them; default none. */
  sandboxRecipients?: string[];
}

export class SenderIdentity extends pulumi.ComponentResource {
  /** The domain or address of the identity. */
  readonly identity: string;
  readonly arn: pulumi.Output<string>;
  readonly sandboxRecipientArns: pulumi.Output<string[]>;
  /** Easy DKIM's three CNAME records; none for an email-address identity. */
  readonly dkimRecords: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: SenderIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:account:SenderIdentity", name, {}, opts);
    const { domain, email } = args.sender;
    this.identity = domain ?? email;

    // Protected: deleting it would stop every environment's email until it is verified again.
    const identity = new aws.sesv2.EmailIdentity(
      `${name}-identity`,
      { emailIdentity: this.identity, ...(domain ? { dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" } } : {}) },
      { parent: this, protect: true },
    );
    if (domain && args.sender.mailFromSubdomain) {
      new aws.sesv2.EmailIdentityMailFromAttributes(
        `${name}-mail-from`,
        // Until the MX record is published, SES keeps using its own MAIL FROM rather than refusing to send.
        { emailIdentity: identity.emailIdentity, mailFromDomain: `${args.sender.mailFromSubdomain}.${domain}`, behaviorOnMxFailure: "USE_DEFAULT_VALUE" },
        { parent: this },
      );
    }
    // Named by address, so that editing the list never replaces (and re-verifies) the others.
    const recipients = (args.sandboxRecipients ?? []).map(
      (address) => new aws.sesv2.EmailIdentity(`${name}-recipient-${address}`, { emailIdentity: address }, { parent: this }),
    );

    this.arn = identity.arn;
    this.sandboxRecipientArns = pulumi.all(recipients.map((r) => r.arn));
    this.dkimRecords = domain
      ? identity.dkimSigningAttributes.apply((dkim) =>
          dkim.tokens.map((token): DnsRecord => ({ name: `${token}._domainkey.${domain}`, type: "CNAME", value: `${token}.dkim.amazonses.com` })),
        )
      : pulumi.output([]);
    this.registerOutputs({ arn: this.arn, sandboxRecipientArns: this.sandboxRecipientArns, dkimRecords: this.dkimRecords });
  }
}
