/**
 * Every firewall rule of the platform, in one place so it can be read (and tested) as a whole:
 *   internet → load balancer on 80 (and 443 with HTTPS)
 *   load balancer → API tasks on the container port
 *   API tasks, campaign function and migrator → database on 5432, and → AWS APIs on 443 (through NAT)
 * Nothing else is open. Rules are separate resources (no inline blocks), and a group created
 * without egress rules has none: the AWS provider removes AWS's default allow-all egress.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const POSTGRES_PORT = 5432;
const ANYWHERE = "0.0.0.0/0";

export interface SecurityGroupsArgs {
  vpcId: pulumi.Input<string>;
  /** The port the API container listens on. */
  containerPort: number;
  /** Opens 443 on the load balancer; only when it has an HTTPS listener. */
  https: boolean;
}

type Peer = { cidrIpv4: string } | { referencedSecurityGroupId: pulumi.Input<string> };

export class SecurityGroups extends pulumi.ComponentResource {
  readonly loadBalancer: aws.ec2.SecurityGroup;
  readonly apiService: aws.ec2.SecurityGroup;
  readonly campaignFunction: aws.ec2.SecurityGroup;
  readonly migrator: aws.ec2.SecurityGroup;
  readonly database: aws.ec2.SecurityGroup;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:network:SecurityGroups", name, {}, opts);
    const group = (role: string, description: string) =>
      // revokeRulesOnDelete: the groups reference each other, which would otherwise block their deletion.
      new aws.ec2.SecurityGroup(`${name}-${role}`, { vpcId: args.vpcId, description, revokeRulesOnDelete: true }, { parent: this });
    const tcp = (direction: "in" | "out", rule: string, target: aws.ec2.SecurityGroup, port: number, peer: Peer) => {
      const ruleArgs = { securityGroupId: target.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: rule, ...peer };
      const ruleName = `${name}-${rule}`;
      return direction === "in"
        ? new aws.vpc.SecurityGroupIngressRule(ruleName, ruleArgs, { parent: this })
        : new aws.vpc.SecurityGroupEgressRule(ruleName, ruleArgs, { parent: this });
    };
    const from = (g: aws.ec2.SecurityGroup): Peer => ({ referencedSecurityGroupId: g.id });

    this.loadBalancer = group("alb", "Public load balancer of the registration API");
    this.apiService = group("api", "Registration API tasks");
    this.campaignFunction = group("campaign", "Campaign Lambda function");
    this.migrator = group("migrator", "Migrator Lambda function (the deploy's migration step)");
    this.database = group("database", "PostgreSQL, reachable from the API, the campaign function and the migrator only");

    tcp("in", "alb-http-from-internet", this.loadBalancer, 80, { cidrIpv4: ANYWHERE });
    if (args.https) tcp("in", "alb-https-from-internet", this.loadBalancer, 443, { cidrIpv4: ANYWHERE });
    tcp("out", "alb-to-api", this.loadBalancer, args.containerPort, from(this.apiService));

    tcp("in", "api-from-alb", this.apiService, args.containerPort, from(this.loadBalancer));
    for (const [role, client] of [
      ["api", this.apiService],
      ["campaign", this.campaignFunction],
      ["migrator", this.migrator],
    ] as const) {
      tcp("out", `${role}-to-database`, client, POSTGRES_PORT, from(this.database));
      // AWS APIs (Secrets Manager, SNS, SES, ECR, CloudWatch Logs) through the NAT gateways.
      tcp("out", `${role}-to-aws-apis`, client, 443, { cidrIpv4: ANYWHERE });
      tcp("in", `database-from-${role}`, this.database, POSTGRES_PORT, from(client));
    }

    this.registerOutputs({});
  }
}
