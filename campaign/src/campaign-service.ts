/**
 * Builds the campaign service from its configuration: the Lambda entry point does it once per cold
 * start, the local platform once at `npm start`. Credentials follow the API's rules (`createDatabase`).
 */
import { CampaignConfig } from "../../shared/src/config";
import { createDatabase } from "../../shared/src/database";
import { createLogger, Logger } from "../../shared/src/logger";
import { resolveSecret } from "../../shared/src/secrets";
import { createSesClient } from "./email/ses-sender";
import { createWelcomeHandler, SnsHandler } from "./welcome-handler";

export interface CampaignService {
  /** Handles one SNS event (Lambda's payload); rejects when any record failed. */
  handle: SnsHandler;
  /** Closes the connection pool and the SES client (the local platform's shutdown). */
  stop(): Promise<void>;
}

export async function startCampaignService(config: CampaignConfig, options: { logger?: Logger } = {}): Promise<CampaignService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, service: "campaign", env: config.appEnv });
  const db = createDatabase(config.database, { region: config.awsRegion, logger });
  const ses = createSesClient(config.awsRegion);
  const stop = async () => {
    ses.destroy();
    await db.destroy();
  };
  // The first connection opens while the signing key is read: in the cloud both wait on Secrets
  // Manager, and a cold start should wait once, not twice.
  const [unsubscribeSigningKey] = await Promise.all([
    resolveSecret(config.unsubscribeSigningKey, config.awsRegion),
    db.raw("SELECT 1"),
  ]).catch(async (err) => {
    await stop(); // the next invocation builds everything again
    throw err;
  });
  const handle = createWelcomeHandler({
    db,
    ses,
    logger,
    clock: () => new Date(),
    senderEmail: config.senderEmail,
    publicBaseUrl: config.publicBaseUrl,
    unsubscribeSigningKey,
  });
  return { handle, stop };
}
