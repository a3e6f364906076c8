/**
 * The EC2 quotas a small account runs into: Elastic IPs for the NAT gateways and VPCs per region.
 * Counts include everything already in the region, this stack's own resources too once it is up.
 */
import { DescribeAccountAttributesCommand, DescribeAddressesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AVAILABILITY_ZONES } from "../network";
import { CheckContext, failure, Finding, ok } from "./finding";

/** AWS's default "VPCs per Region" quota; the EC2 API does not tell the account's own. */
export const DEFAULT_VPC_QUOTA = 5;

export async function checkAccountQuotas({ config, clients }: CheckContext): Promise<Finding[]> {
  const natGateways = config.network.natGateways === "Single" ? 1 : AVAILABILITY_ZONES;
  return Promise.all([elasticIps(clients.ec2, config.region, natGateways), vpcsPerRegion(clients.ec2, config.region)]);
}

async function elasticIps(ec2: EC2Client, region: string, needed: number): Promise<Finding> {
  const [{ AccountAttributes }, { Addresses }] = await Promise.all([
    // All attributes: the SDK's AttributeNames type does not list "vpc-max-elastic-ips".
    ec2.send(new DescribeAccountAttributesCommand({})),
    ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "domain", Values: ["vpc"] }] })),
  ]);
  const attribute = AccountAttributes?.find((candidate) => candidate.AttributeName === "vpc-max-elastic-ips");
  const quota = Number(attribute?.AttributeValues?.[0]?.AttributeValue ?? 0);
  const inUse = Addresses?.length ?? 0;
  const situation = `The NAT gateways need ${needed} Elastic IP${needed === 1 ? "" : "s"}; ${inUse} of the account's ${quota} in ${region} are allocated`;
  if (quota - inUse >= needed) return ok(`${situation}.`);
  return failure(
    `${situation}: creating the NAT gateways fails (AddressLimitExceeded).`,
    `release unused addresses (aws ec2 describe-addresses --region ${region} --query "Addresses[?AssociationId==null]") or aws service-quotas request-service-quota-increase --region ${region} --service-code ec2 --quota-code L-0263D0A3 --desired-value ${inUse + needed}`,
  );
}

async function vpcsPerRegion(ec2: EC2Client, region: string): Promise<Finding> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeVpcsCommand({ NextToken: token }));
    count += page.Vpcs?.length ?? 0;
    token = page.NextToken;
  } while (token);
  const situation = `The stack adds 1 VPC to the ${count} in ${region}; the default quota is ${DEFAULT_VPC_QUOTA}`;
  if (count < DEFAULT_VPC_QUOTA) return ok(`${situation}.`);
  return failure(
    `${situation}: creating the VPC fails (VpcLimitExceeded) unless the quota was raised (aws service-quotas get-service-quota --service-code vpc --quota-code L-F678F1CE).`,
    `delete an unused VPC or aws service-quotas request-service-quota-increase --region ${region} --service-code vpc --quota-code L-F678F1CE --desired-value ${count + 1}`,
  );
}
