/**
 * AWS Lambda entry point, fed by the welcome queue's event source mapping (SQS, with
 * ReportBatchItemFailures). The service is built on the first invocation and reused while the
 * execution environment stays warm.
 */
import { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { loadCampaignConfig } from "../../shared/src/config";
import { CampaignService, startCampaignService } from "./campaign-service";

let service: Promise<CampaignService> | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  service ??= startCampaignService(loadCampaignConfig()).catch((err) => {
    service = undefined; // e.g. Secrets Manager unreachable: the next invocation tries again
    throw err;
  });
  return (await service).handle(event);
};
