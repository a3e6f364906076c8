/**
 * AWS Lambda entry point, subscribed to the customer events SNS topic and invoked asynchronously
 * (two retries, then the on-failure dead-letter queue). The service is built on the first
 * invocation and reused while the execution environment stays warm.
 */
import { SNSEvent } from "aws-lambda";
import { loadCampaignConfig } from "../../shared/src/config";
import { CampaignService, startCampaignService } from "./campaign-service";

let service: Promise<CampaignService> | undefined;

export const handler = async (event: SNSEvent): Promise<void> => {
  service ??= startCampaignService(loadCampaignConfig()).catch((err) => {
    service = undefined; // e.g. Secrets Manager unreachable: the next invocation tries again
    throw err;
  });
  await (await service).handle(event);
};
