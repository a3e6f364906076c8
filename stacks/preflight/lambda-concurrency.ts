/**
 * Lambda concurrency: a reservation may not push the account's unreserved concurrency below AWS's
 * minimum of 10 (`CreateFunction` fails), the welcome queue's event source mapping should not be
 * allowed more instances than the function can get (the rest are throttled), and the queues that
 * share the unreserved pool (welcome unless it reserves, broadcast, SES events) should fit in it.
 */
import { GetAccountSettingsCommand } from "@aws-sdk/client-lambda";
import type { StackConfig } from "../stack-config";
import { CheckContext, failure, Finding, ok, warning } from "./finding";

/** AWS keeps this many concurrent executions unreserved in every account. */
export const MIN_UNRESERVED_CONCURRENCY = 10;
/** The smallest `maximumConcurrency` an SQS event source mapping accepts. */
const MIN_MAPPING_CONCURRENCY = 2;

const QUOTA_INCREASE = "request a higher \"Concurrent executions\" quota: aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 1000";

export async function checkLambdaConcurrency({ stack, config, clients }: CheckContext): Promise<Finding[]> {
  const { AccountLimit } = await clients.lambda.send(new GetAccountSettingsCommand({}));
  const limit = AccountLimit?.ConcurrentExecutions ?? 0;
  const unreserved = AccountLimit?.UnreservedConcurrentExecutions ?? 0;
  const { reservedConcurrency, maxConcurrency } = config.campaign;
  return [
    reservation(stack, limit, unreserved, reservedConcurrency),
    mappingConcurrency(stack, unreserved, maxConcurrency, reservedConcurrency),
    sharedConcurrency(stack, unreserved, config),
  ];
}

/** Each mapping may run its `maxConcurrency` at once; all but a reserved welcome function draw on the unreserved pool. */
function sharedConcurrency(stack: string, unreserved: number, { campaign, broadcast, sesEvents }: StackConfig): Finding {
  const pool = unreserved - (campaign.reservedConcurrency ?? 0);
  const welcome = campaign.reservedConcurrency === undefined ? campaign.maxConcurrency : 0;
  const demand = welcome + broadcast.maxConcurrency + sesEvents.maxConcurrency;
  const queues = welcome > 0 ? "the welcome, broadcast and SES events queues" : "the broadcast and SES events queues";
  if (demand <= pool) return ok(`At full concurrency ${queues} run ${demand} function instances; ${pool} are unreserved.`);
  return warning(
    `At full concurrency ${queues} run ${demand} function instances at once but only ${pool} are unreserved: the rest are throttled and retried, a broadcast's and welcome emails alike.`,
    `lower broadcast.maxConcurrency (pulumi config set --path broadcast.maxConcurrency 2 --stack ${stack}) or sesEvents.maxConcurrency, or ${QUOTA_INCREASE}`,
  );
}

function reservation(stack: string, limit: number, unreserved: number, reserved: number | undefined): Finding {
  if (reserved === undefined) return ok(`No reservation configured; ${unreserved} of the account's ${limit} concurrent executions are unreserved.`);
  const left = unreserved - reserved;
  if (left >= MIN_UNRESERVED_CONCURRENCY) return ok(`Reserving ${reserved} for the campaign function leaves ${left} of ${limit} unreserved.`);
  return failure(
    `Reserving ${reserved} (campaign.reservedConcurrency) would leave ${left} of the account's ${limit} concurrent executions unreserved, below AWS's minimum of ${MIN_UNRESERVED_CONCURRENCY}: creating the function fails.`,
    `drop the reservation (pulumi config rm --path campaign.reservedConcurrency --stack ${stack}) or ${QUOTA_INCREASE}`,
  );
}

function mappingConcurrency(stack: string, unreserved: number, maxConcurrency: number, reserved: number | undefined): Finding {
  const available = reserved ?? unreserved;
  const pool = reserved === undefined ? "unreserved in the account" : "reserved for the function";
  if (maxConcurrency <= available) return ok(`The queue may run ${maxConcurrency} function instances at once; ${available} are ${pool}.`);
  return warning(
    `The queue may run ${maxConcurrency} function instances at once (campaign.maxConcurrency) but only ${available} are ${pool}: the rest are throttled and retried.`,
    available >= MIN_MAPPING_CONCURRENCY
      ? `lower it (pulumi config set --path campaign.maxConcurrency ${available} --stack ${stack}) or ${QUOTA_INCREASE}`
      : reserved !== undefined
        ? `raise campaign.reservedConcurrency to ${maxConcurrency} (pulumi config set --path campaign.reservedConcurrency ${maxConcurrency} --stack ${stack})`
        : QUOTA_INCREASE,
  );
}
