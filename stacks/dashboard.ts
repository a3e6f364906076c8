/**
 * One CloudWatch dashboard per stack, read top to bottom along a registration's way: the load
 * balancer and the API tasks, the database, the outbox, the welcome queue and the campaign
 * function; then broadcasts and what SES reports about this environment's emails
 * (broadcast-widgets.ts). Alarm thresholds are drawn on the graphs they watch. A paused stack
 * shows what it kept.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_DIMENSION, METRICS_NAMESPACE, OUTBOX_METRICS } from "../shared/src/metrics";
import { broadcastWidgets, BroadcastWidgetsArgs } from "./broadcast-widgets";
import { Metric, of, timeSeries } from "./dashboard-widgets";
import { OUTBOX_MAX_AGE_SECONDS, WELCOME_QUEUE_MAX_AGE_SECONDS } from "./pipeline-alarms";

export interface DashboardArgs extends BroadcastWidgetsArgs {
  region: string;
  appEnv: string;
  /** The API's load balancer and service; none while the stack is paused. */
  api?: { loadBalancerArnSuffix: pulumi.Input<string>; clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string> };
  databaseIdentifier: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
  welcomeQueueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
}

export class Dashboard extends pulumi.ComponentResource {
  /** Where to open it in the console. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:monitoring:Dashboard", name, {}, opts);
    const graph = (title: string, metrics: Metric[], alarmAt?: number) => timeSeries(args.region, title, metrics, alarmAt);

    const alb = args.api && of("AWS/ApplicationELB", { LoadBalancer: args.api.loadBalancerArnSuffix });
    const tasks = args.api && of("AWS/ECS", { ClusterName: args.api.clusterName, ServiceName: args.api.serviceName });
    const database = of("AWS/RDS", { DBInstanceIdentifier: args.databaseIdentifier });
    const outbox = of(METRICS_NAMESPACE, { [ENVIRONMENT_DIMENSION]: args.appEnv });
    const welcomeQueue = of("AWS/SQS", { QueueName: args.welcomeQueueName });
    const deadLetters = of("AWS/SQS", { QueueName: args.deadLetterQueueName });
    const fn = of("AWS/Lambda", { FunctionName: args.functionName });

    const apiWidgets =
      alb && tasks
        ? [
            graph("API requests and 5xx", [
              alb("RequestCount", "Sum", "requests"),
              alb("HTTPCode_Target_5XX_Count", "Sum", "5xx from the API", true),
              alb("HTTPCode_ELB_5XX_Count", "Sum", "5xx from the load balancer", true),
            ]),
            graph("API latency (s)", [alb("TargetResponseTime", "p50", "p50"), alb("TargetResponseTime", "p99", "p99")]),
            graph("API tasks CPU and memory (%)", [tasks("CPUUtilization", "Average", "CPU"), tasks("MemoryUtilization", "Average", "memory")]),
          ]
        : [{ type: "text", width: 24, height: 2, properties: { markdown: "**Paused**: no load balancer and no API tasks. `pulumi config set paused false` and `pulumi up` resume the stack." } }];

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-cloudwatch`,
      {
        dashboardName: name,
        dashboardBody: pulumi.jsonStringify({
          widgets: [
            ...apiWidgets,
            graph("Database CPU (%) and connections", [database("CPUUtilization", "Average", "CPU"), database("DatabaseConnections", "Maximum", "connections", true)]),
            graph("Database free storage (bytes)", [database("FreeStorageSpace", "Minimum", "free storage")]),
            graph(
              "Outbox: oldest unpublished event (s) and backlog",
              [outbox(OUTBOX_METRICS.oldestAgeSeconds, "Maximum", "oldest event age"), outbox(OUTBOX_METRICS.pending, "Maximum", "events waiting", true)],
              OUTBOX_MAX_AGE_SECONDS,
            ),
            graph(
              "Welcome queue: oldest message (s) and dead letters",
              [welcomeQueue("ApproximateAgeOfOldestMessage", "Maximum", "oldest message age"), deadLetters("ApproximateNumberOfMessagesVisible", "Maximum", "dead letters", true)],
              WELCOME_QUEUE_MAX_AGE_SECONDS,
            ),
            graph("Campaign function errors and throttles", [fn("Errors", "Sum", "errors"), fn("Throttles", "Sum", "throttles")]),
            graph("Campaign function duration (ms)", [fn("Duration", "p50", "p50"), fn("Duration", "p99", "p99"), fn("Duration", "Maximum", "max")]),
            ...broadcastWidgets(args.region, args),
          ],
        }),
      },
      { parent: this },
    );

    this.url = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
    this.registerOutputs({ url: this.url });
  }
}
