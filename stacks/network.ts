/**
 * The VPC every other component runs in: public subnets for the load balancer and the NAT
 * gateways, private subnets (outbound through NAT only) for the API tasks, the campaign function
 * and the database, over two availability zones. A paused stack keeps the VPC and its subnets
 * (the database's subnet group names them) and only drops the NAT gateways, which cost by the hour.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** Two zones: enough for a Multi-AZ database and a load balancer, the fewest AWS requires. */
export const AVAILABILITY_ZONES = 2;

export interface NetworkSettings {
  /** The VPC's IPv4 range; each stack gets its own so stacks can be peered later. */
  cidrBlock: string;
  /** `Single`: one NAT gateway (cheaper; egress stops if its zone fails). `OnePerAz`: one per zone. */
  natGateways: "Single" | "OnePerAz";
}

export interface NetworkArgs extends NetworkSettings {
  /** No NAT gateways (nothing in the private subnets reaches the internet). Default: false. */
  paused?: boolean;
}

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /**
   * The private subnets, known only once their routes through NAT exist: a task started in them
   * can pull its image (a resumed stack creates NAT gateways and the API service side by side).
   */
  readonly privateSubnetIdsWithEgress: pulumi.Output<string[]>;
  /** The VPC's default security group, which holds no workload of ours. */
  readonly defaultSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:network:Network", name, {}, opts);

    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: AVAILABILITY_ZONES,
        // The subnets do not depend on the strategy: pausing adds and removes NAT gateways, their
        // addresses and the private subnets' default routes, nothing else.
        natGateways: { strategy: args.paused ? "None" : args.natGateways },
        subnetStrategy: "Auto",
        // Small public subnets (load balancer nodes, NAT gateways); room for many tasks in private ones.
        subnetSpecs: [
          { type: "Public", cidrMask: 24 },
          { type: "Private", cidrMask: 20 },
        ],
        enableDnsHostnames: true,
        enableDnsSupport: true,
      },
      { parent: this },
    );

    this.vpcId = vpc.vpcId;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.privateSubnetIdsWithEgress = pulumi
      .all([vpc.privateSubnetIds, vpc.routes.apply((routes: aws.ec2.Route[] | undefined) => pulumi.all((routes ?? []).map((r) => r.id)))])
      .apply(([ids]) => ids);
    this.defaultSecurityGroupId = vpc.vpc.defaultSecurityGroupId;
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }
}
