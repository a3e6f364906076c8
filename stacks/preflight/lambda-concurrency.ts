/**
 * Lambda concurrency: a reservation may not push the account's unreserved concurrency below AWS's
 * minimum of 10 (`CreateFunction` fails), and the queue's event source mapping should not be
 * allowed more instances than the function can get (the rest are throttled).
 */
import { GetAccountSettingsCommand } from "@aws-sdk/client-lambda";
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
  return [reservation(stack, limit, unreserved, reservedConcurrency), mappingConcurrency(stack, unreserved, maxConcurrency, reservedConcurrency)];
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
