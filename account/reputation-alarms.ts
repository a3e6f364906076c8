/**
 * The account's SES reputation: its bounce and complaint rates, alarmed at half of the rates at which
 * SES places an account under review (about 5 % and 0.1 %), so there is time to act before a review
 * pauses sending for every environment. They belong to the account, not to an environment: SES
 * computes them over all the account's email, dev's and prod's alike (each environment's dashboard
 * graphs its own configuration set's rates). docs/operations.md says what to do when one fires.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REPUTATION_ALARM_THRESHOLDS, REPUTATION_METRICS, ReputationRate, SES_NAMESPACE, SES_REVIEW_THRESHOLDS } from "../stacks/ses-reputation";

/** SES publishes the rates a few times an hour at most; a quarter of an hour is the finest useful period. */
const PERIOD_SECONDS = 900;

const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(2))} %`;
const WHAT: Record<ReputationRate, { alarm: string; description: string }> = {
  bounceRate: { alarm: "bounce-rate", description: "bounce rate" },
  complaintRate: { alarm: "complaint-rate", description: "complaint rate" },
};

export interface ReputationAlarmsArgs {
  /** Notified when a rate crosses its threshold and when it recovers. None: the alarms show in the console only. */
  alarmTopicArn?: string;
}

export class ReputationAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: ReputationAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:account:ReputationAlarms", name, {}, opts);
    const actions = args.alarmTopicArn ? [args.alarmTopicArn] : [];

    for (const rate of Object.keys(REPUTATION_METRICS) as ReputationRate[]) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${WHAT[rate].alarm}`,
        {
          alarmDescription:
            `The account's SES ${WHAT[rate].description} is above ${percent(REPUTATION_ALARM_THRESHOLDS[rate])}; ` +
            `SES reviews accounts from about ${percent(SES_REVIEW_THRESHOLDS[rate])} (docs/operations.md)`,
          namespace: SES_NAMESPACE,
          metricName: REPUTATION_METRICS[rate],
          statistic: "Maximum",
          period: PERIOD_SECONDS,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: REPUTATION_ALARM_THRESHOLDS[rate],
          // Between SES's data points the alarm keeps its state: no flapping back to OK, no alarm before any email.
          treatMissingData: "ignore",
          alarmActions: actions,
          okActions: actions,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
