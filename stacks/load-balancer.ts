/**
 * The public entry: an Application Load Balancer in the public subnets forwarding to the API tasks
 * (IP targets) once `/health/ready` answers. HTTP on 80; when the stack names an ACM certificate,
 * HTTPS on 443 and 80 only redirects to it, and with a Route 53 zone the domain's alias record
 * follows the load balancer (a paused stack has none; a resumed one gets a new DNS name).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const READINESS_PATH = "/health/ready";

export interface HttpsSettings {
  /** ACM certificate for `domainName`, in the stack's region. */
  certificateArn: string;
  /** The API's public host name. */
  domainName: string;
  /**
   * The Route 53 hosted zone of `domainName`: the stack then keeps the domain's alias record on the
   * load balancer. Absent: point the domain at the `loadBalancerDnsName` output yourself.
   */
  hostedZoneId?: string;
}

export interface LoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  containerPort: number;
  /** Seconds an idle connection stays open; the API keeps its keep-alive connections open longer. */
  idleTimeoutSeconds: number;
  /** Absent: plain HTTP on the load balancer's own DNS name. */
  https?: HttpsSettings;
}

export class LoadBalancer extends pulumi.ComponentResource {
  readonly targetGroup: aws.lb.TargetGroup;
  /** The listeners; the service must wait for them before it can register targets. */
  readonly listeners: aws.lb.Listener[];
  /** Where clients reach the API: `https://<domainName>`, or `http://<load balancer DNS name>`. */
  readonly url: pulumi.Output<string>;
  /** The load balancer's own DNS name (what the domain's alias or CNAME record points to). */
  readonly dnsName: pulumi.Output<string>;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of its CloudWatch metrics. */
  readonly arnSuffix: pulumi.Output<string>;

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
        idleTimeout: args.idleTimeoutSeconds,
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
    if (https?.hostedZoneId) {
      new aws.route53.Record(
        `${name}-alias`,
        {
          zoneId: https.hostedZoneId,
          name: https.domainName,
          type: "A",
          aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
        },
        { parent: this },
      );
    }
    this.url = https ? pulumi.output(`https://${https.domainName}`) : pulumi.interpolate`http://${alb.dnsName}`;
    this.dnsName = alb.dnsName;
    this.arnSuffix = alb.arnSuffix;

    this.registerOutputs({ url: this.url, dnsName: this.dnsName });
  }
}
