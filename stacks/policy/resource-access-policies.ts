/**
 * Who a resource's own policy lets in. A statement for an AWS service (SNS delivering to a queue,
 * SES publishing to a topic or using a key) must say on whose behalf: an `aws:SourceArn`,
 * `aws:SourceAccount` or `aws:SourceOwner` condition. Without one, the service would act for any
 * account that points it at the resource (the confused deputy). A statement for everyone (`*`)
 * needs such a condition, or one on the caller's account or organization.
 */
import { list } from "./iam-policies";
import { Check, problemIf, Props, resourcePolicy } from "./resource-policy";

const SOURCE_KEYS = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceowner"];
const CALLER_KEYS = ["aws:principalaccount", "aws:principalorgid"];

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: "*" | { Service?: string | string[]; AWS?: string | string[] };
  Condition?: Record<string, Record<string, unknown>>;
}

/** Condition keys of a statement, lower-cased (IAM compares them regardless of case). */
const conditionKeys = (s: Statement) => Object.values(s.Condition ?? {}).flatMap((keys) => Object.keys(keys).map((k) => k.toLowerCase()));

function statementProblems(s: Statement, index: number): string[] {
  if (s.Effect !== "Allow" || s.Principal === undefined) return [];
  const keys = conditionKeys(s);
  const name = s.Sid ?? `statement ${index + 1}`;
  const services = s.Principal === "*" ? [] : list(s.Principal.Service);
  const everyone = s.Principal === "*" || list(s.Principal.AWS).includes("*");
  return [
    ...problemIf(
      services.length > 0 && !keys.some((k) => SOURCE_KEYS.includes(k)),
      `${name} lets ${services.join(", ")} in for any account: add an aws:SourceArn or aws:SourceAccount condition`,
    ),
    ...problemIf(everyone && !keys.some((k) => [...SOURCE_KEYS, ...CALLER_KEYS].includes(k)), `${name} lets everyone in: add a condition on the source or the caller's account`),
  ];
}

const documentProblems = (document: unknown): string[] => {
  if (document === undefined || document === null || document === "") return [];
  const parsed = (typeof document === "string" ? JSON.parse(document) : document) as { Statement?: Statement | Statement[] };
  return ([] as Statement[]).concat(parsed?.Statement ?? []).flatMap(statementProblems);
};

const policyOf: Check = (props: Props) => documentProblems(props.policy);

export const resourceAccessPolicies = [
  resourcePolicy("resource-policies-name-their-source", "Queue, topic and key policies let AWS services in on behalf of named sources only", {
    "aws:sqs/queuePolicy:QueuePolicy": policyOf,
    "aws:sqs/queue:Queue": policyOf,
    "aws:sns/topicPolicy:TopicPolicy": policyOf,
    "aws:sns/topic:Topic": policyOf,
    "aws:kms/key:Key": policyOf,
  }),
];
