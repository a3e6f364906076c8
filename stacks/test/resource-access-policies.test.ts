import assert from "node:assert/strict";
import { policyNamed, violations } from "./support/policy-check";

const RULE = "resource-policies-name-their-source";
const document = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Principal: unknown, Condition?: object) => ({ Effect: "Allow", Principal, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:1:q", ...(Condition ? { Condition } : {}) });
const reported = (type: string, props: object) => violations(policyNamed(RULE), type, props);

describe("policy pack: resource policies name their source", () => {
  it("when SNS may send to a queue only from a named topic, or SES may use a key for this account, then nothing is reported", async () => {
    const fromTopic = allow({ Service: "sns.amazonaws.com" }, { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } });
    const forAccount = allow({ Service: ["ses.amazonaws.com"] }, { StringEquals: { "AWS:SourceAccount": "1" } });

    assert.deepEqual(await reported("aws:sqs/queuePolicy:QueuePolicy", { policy: document(fromTopic) }), []);
    assert.deepEqual(await reported("aws:kms/key:Key", { policy: document(forAccount) }), [], "condition keys are compared regardless of case");
  });

  it("when a service may act with only an unrelated condition, then the statement is reported by its Sid", async () => {
    const secureOnly = { ...allow({ Service: "sns.amazonaws.com" }, { Bool: { "aws:SecureTransport": "true" } }), Sid: "AnyTopic" };

    assert.deepEqual(await reported("aws:sqs/queue:Queue", { policy: document(secureOnly) }), [
      "AnyTopic lets sns.amazonaws.com in for any account: add an aws:SourceArn or aws:SourceAccount condition",
    ]);
  });

  it("when a policy lets everyone in, then it is reported unless a condition names the source or the caller's account", async () => {
    assert.deepEqual(await reported("aws:sns/topic:Topic", { policy: document(allow("*")) }), [
      "statement 1 lets everyone in: add a condition on the source or the caller's account",
    ]);
    assert.equal((await reported("aws:sns/topicPolicy:TopicPolicy", { policy: JSON.parse(document(allow({ AWS: "*" }))) })).length, 1, "a document given as an object");
    assert.deepEqual(await reported("aws:sns/topicPolicy:TopicPolicy", { policy: document(allow({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-1" } })) }), []);
  });

  it("when a statement names this account's principals, denies, or the resource has no policy, then nothing is reported", async () => {
    const account = allow({ AWS: "arn:aws:iam::1:root" });
    const deny = { ...allow({ Service: "sns.amazonaws.com" }), Effect: "Deny" };

    assert.deepEqual(await reported("aws:kms/key:Key", { policy: document(account, deny) }), []);
    assert.deepEqual(await reported("aws:sqs/queue:Queue", { sqsManagedSseEnabled: true }), []);
  });
});
