/**
 * AWS Lambda entry points, one per function deployed from this bundle, each fed by its queue's
 * event source mapping (SQS, with ReportBatchItemFailures): `handler` the welcome queue,
 * `broadcastHandler` the broadcast queue, `sesEventsHandler` the SES events queue. The service is
 * built on the first invocation and reused while the execution environment stays warm.
 */
import { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { loadCampaignConfig } from "../../shared/src/config";
import { CampaignService, startCampaignService } from "./campaign-service";
import { InvocationContext } from "./invocation-time";

let service: Promise<CampaignService> | undefined;

function campaignService(): Promise<CampaignService> {
  service ??= startCampaignService(loadCampaignConfig()).catch((err) => {
    service = undefined; // e.g. Secrets Manager unreachable: the next invocation tries again
    throw err;
  });
  return service;
}

export const handler = async (event: SQSEvent, context: InvocationContext): Promise<SQSBatchResponse> => (await campaignService()).handle(event, context);

/** The SES events queue's function (bounces and complaints), deployed from the same bundle. */
export const sesEventsHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => (await campaignService()).handleSesEvents(event);
export const broadcastHandler = async (event: SQSEvent, context: InvocationContext): Promise<SQSBatchResponse> =>
  (await campaignService()).handleBroadcast(event, context);
