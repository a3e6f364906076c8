/**
 * The public entry: an Application Load Balancer in the public subnets forwarding to the API tasks
 * (IP targets) once `/health/ready` answers. HTTP on 80; when the stack names an ACM certificate,
 * HTTPS on 443 and 80 only redirects to it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const READINESS_PATH = "/health/ready";

export interface HttpsSettings {
  /** ACM certificate for `domainName`, in the stack's region. */
  certificateArn: string;
  /** The API's public host name; its DNS record (an alias of the load balancer) is managed outside this program. */
  domainName: string;
}

export interface LoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  containerPort: number;
  /** Absent: plain HTTP on the load balancer's own DNS name. */
  https?: HttpsSettings;
}

export class LoadBalancer extends pulumi.ComponentResource {
  readonly targetGroup: aws.lb.TargetGroup;
  /** The listeners; the service must wait for them before it can register targets. */
  readonly listeners: aws.lb.Listener[];
  /** Where clients reach the API: `https://<domainName>`, or `http://<load balancer DNS name>`. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:api:LoadBalancer", name, {}, opts);

    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        subnets: args.subnetIds,
        securityGroups: [args.securityGroupId],
        dropInvalidHeaderFields: true,
      },
      { parent: this },
    );
    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: args.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: args.containerPort,
        // Under the API's 25 s drain, so a stopping task finishes its requests but deploys stay quick.
        deregistrationDelay: 30,
        healthCheck: { path: READINESS_PATH, matcher: "200", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      },
      { parent: this },
    );
    const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];

    const https = args.https;
    this.listeners = https
      ? [
          new aws.lb.Listener(
            `${name}-https`,
            {
              loadBalancerArn: alb.arn,
              port: 443,
              protocol: "HTTPS",
              certificateArn: https.certificateArn,
              sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
              defaultActions: forward,
            },
            { parent: this },
          ),
          new aws.lb.Listener(
            `${name}-http`,
            {
              loadBalancerArn: alb.arn,
              port: 80,
              protocol: "HTTP",
              defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            { parent: this },
          ),
        ]
      : [new aws.lb.Listener(`${name}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: forward }, { parent: this })];
    this.url = https ? pulumi.output(`https://${https.domainName}`) : pulumi.interpolate`http://${alb.dnsName}`;

    this.registerOutputs({ url: this.url });
  }
}
