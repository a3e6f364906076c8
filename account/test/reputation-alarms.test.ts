import assert from "node:assert/strict";
import { REPUTATION_ALARM_THRESHOLDS, SES_REVIEW_THRESHOLDS } from "../../stacks/ses-reputation";
import { AccountUnderTest, committedAccount, runAccount } from "./support/account-under-test";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ON_CALL = "arn:aws:sns:us-east-1:123456789012:on-call";

describe("the account stack's SES reputation alarms", () => {
  let s: AccountUnderTest;
  const alarm = (suffix: string) => s.one(ALARM, suffix).inputs;
  before(async () => {
    s = await committedAccount();
  });

  it("when the account's bounce rate exceeds 2.5 %, half of where SES reviews an account (5 %), then an alarm fires on SES's own account-wide metric", () => {
    const bounces = alarm("-bounce-rate");

    assert.deepEqual(
      [bounces.namespace, bounces.metricName, bounces.dimensions, bounces.comparisonOperator, bounces.threshold],
      ["AWS/SES", "Reputation.BounceRate", undefined, "GreaterThanThreshold", 0.025],
    );
    assert.equal(REPUTATION_ALARM_THRESHOLDS.bounceRate, SES_REVIEW_THRESHOLDS.bounceRate / 2);
    assert.match(bounces.alarmDescription, /above 2\.5 %; SES reviews accounts from about 5 %/);
  });

  it("when the account's complaint rate exceeds 0.05 %, half of where SES reviews an account (0.1 %), then an alarm fires", () => {
    const complaints = alarm("-complaint-rate");

    assert.deepEqual(
      [complaints.namespace, complaints.metricName, complaints.dimensions, complaints.threshold],
      ["AWS/SES", "Reputation.ComplaintRate", undefined, 0.0005],
    );
    assert.equal(REPUTATION_ALARM_THRESHOLDS.complaintRate, SES_REVIEW_THRESHOLDS.complaintRate / 2);
    assert.match(complaints.alarmDescription, /above 0\.05 %; SES reviews accounts from about 0\.1 %/);
  });

  it("when SES publishes no rate for a while (no email, or between its data points), then each alarm keeps its state rather than flapping", () => {
    for (const a of s.ofType(ALARM)) {
      assert.deepEqual([a.inputs.treatMissingData, a.inputs.statistic, a.inputs.evaluationPeriods], ["ignore", "Maximum", 1], a.name);
    }
    assert.equal(s.ofType(ALARM).length, 2);
  });

  it("when no alarm topic is configured, then the alarms notify no one; with one, both notify it, and again when the rate recovers", async () => {
    const withTopic = await runAccount((raw) => (raw["e_com-account:alarmTopicArn"] = ON_CALL));

    for (const a of s.ofType(ALARM)) assert.deepEqual([a.inputs.alarmActions, a.inputs.okActions], [[], []], a.name);
    for (const a of withTopic.ofType(ALARM)) assert.deepEqual([a.inputs.alarmActions, a.inputs.okActions], [[ON_CALL], [ON_CALL]], a.name);
  });
});
