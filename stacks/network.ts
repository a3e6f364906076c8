/**
 * The VPC every other component runs in: public subnets for the load balancer and the NAT
 * gateways, private subnets (outbound through NAT only) for the API tasks, the campaign function
 * and the database, over two availability zones.
 */
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** Two zones: enough for a Multi-AZ database and a load balancer, the fewest AWS requires. */
export const AVAILABILITY_ZONES = 2;

export interface NetworkArgs {
  /** The VPC's IPv4 range; each stack gets its own so stacks can be peered later. */
  cidrBlock: string;
  /** `Single`: one NAT gateway (cheaper; egress stops if its zone fails). `OnePerAz`: one per zone. */
  natGateways: "Single" | "OnePerAz";
}

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:network:Network", name, {}, opts);

    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: AVAILABILITY_ZONES,
        natGateways: { strategy: args.natGateways },
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
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }
}
