/**
 * HTTPS: the ACM certificate the load balancer's 443 listener presents must exist in the stack's
 * region, be issued, and cover the API's domain name.
 */
import { DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { isAwsError } from "./aws-clients";
import { CheckContext, failure, Finding, ok } from "./finding";

/** The committed `Pulumi.prod.yaml`'s stand-in: documentation account, all-zero id. */
const PLACEHOLDER = /:123456789012:|certificate\/0{8}-/;

export async function checkHttpsCertificate({ stack, config, clients, identity }: CheckContext): Promise<Finding[]> {
  if (!config.https) return [ok("HTTPS is not configured: the API is served over HTTP on the load balancer's name.")];
  const { certificateArn: arn, domainName } = config.https;
  const region = config.region;
  const fix =
    `aws acm request-certificate --region ${region} --domain-name ${domainName} --validation-method DNS, add the CNAME it asks for ` +
    `(aws acm describe-certificate --region ${region} --certificate-arn <arn> --query "Certificate.DomainValidationOptions[].ResourceRecord"), ` +
    `wait for ISSUED, then pulumi config set --path https.certificateArn <arn> --stack ${stack}`;

  const certificateRegion = arn.split(":")[3];
  if (certificateRegion !== region) return [failure(`The certificate ${arn} is in ${certificateRegion}; the load balancer needs one in ${region}.`, fix)];

  let certificate;
  try {
    ({ Certificate: certificate } = await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn })));
  } catch (error) {
    if (!isAwsError(error, "ResourceNotFoundException", "InvalidArnException")) throw error;
    const why = PLACEHOLDER.test(arn) ? "It is the committed placeholder: replace it with your certificate." : `Is it in another account than ${identity.account}?`;
    return [failure(`The certificate ${arn} (https.certificateArn) was not found in ${region}. ${why}`, fix)];
  }

  if (certificate?.Status === "PENDING_VALIDATION") {
    return [
      failure(
        `The certificate for ${certificate.DomainName} waits for its DNS validation (PENDING_VALIDATION); the listener needs an ISSUED one.`,
        `add the CNAME record of aws acm describe-certificate --region ${region} --certificate-arn ${arn} --query "Certificate.DomainValidationOptions[].ResourceRecord" to the domain's DNS`,
      ),
    ];
  }
  if (certificate?.Status !== "ISSUED") {
    return [failure(`The certificate for ${certificate?.DomainName} is ${certificate?.Status}; the listener needs an ISSUED one.`, fix)];
  }
  const names = [...new Set([certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? [])].filter((name): name is string => !!name))];
  if (!names.some((name) => coversDomain(name, domainName))) {
    return [failure(`The certificate covers ${names.join(", ")} but not https.domainName ${domainName}: browsers would refuse it.`, fix)];
  }
  return [ok(`The certificate for ${domainName} is issued in ${region} (${names.join(", ")}).`)];
}

/** Whether a certificate name covers `domain`: equal, or a wildcard standing for exactly one label. */
export function coversDomain(certificateName: string, domain: string): boolean {
  const [name, host] = [certificateName.toLowerCase(), domain.toLowerCase().replace(/\.$/, "")];
  if (!name.startsWith("*.")) return name === host;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}
