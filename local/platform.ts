/**
 * The whole platform on this machine, composed once for `npm start`, the fault tests, the soak and
 * the benchmarks: PostgreSQL (embedded unless DATABASE_URL or DB_HOST is given), a local SES
 * endpoint with its mailbox (unless AWS_ENDPOINT_URL_SES is given), the campaign service invoked
 * in-process the way SNS invokes the Lambda, and the registration API publishing to it.
 */
import path from "node:path";
import { RunningApi, startApi } from "../api/src/main";
import { EventPublisher } from "../api/src/outbox/publisher";
import { CampaignService, startCampaignService } from "../campaign/src/campaign-service";
import { SnsHandler } from "../campaign/src/welcome-handler";
import { ApiConfig, loadApiConfig, loadCampaignConfig } from "../shared/src/config";
import { createLogger, Logger } from "../shared/src/logger";
import { seedDemoCampaigns } from "./demo-campaigns";
import { LocalPostgres, startLocalPostgres } from "./embedded-postgres";
import { InProcessSns } from "./in-process-sns";
import { SesMailbox, startSesMailbox, useSesMailbox } from "./ses-mailbox";

export interface LocalServicesOptions {
  /** The configuration, as the services read it from the environment. Default `process.env`; never modified. */
  env?: NodeJS.ProcessEnv;
  /** Where the embedded PostgreSQL keeps its data (`<dataDir>/postgres`, kept across stops) and dead letters go. */
  dataDir: string;
  /** Port of the mailbox this starts; default a free one. */
  sesMailboxPort?: number;
  /** In-process SNS waits before its two retries; default Lambda's shape, shortened (1 s, 2 s). */
  snsRetryDelaysMs?: [number, number];
  /** Default: one built from the configured level and environment. */
  logger?: Logger;
  /** Wraps the campaign handler SNS invokes, e.g. to count deliveries. */
  wrapSubscriber?: (handle: SnsHandler) => SnsHandler;
}

/** Everything but the API: what the API's relay publishes to, and what that sets going. */
export interface LocalServices {
  /** The configuration completed with where the database and SES are (DATABASE_URL, AWS_ENDPOINT_URL_SES). */
  env: NodeJS.ProcessEnv;
  apiConfig: ApiConfig;
  sns: InProcessSns;
  campaign: CampaignService;
  logger: Logger;
  /** The PostgreSQL server this started, if it started one. */
  postgres?: LocalPostgres;
  /** The mailbox this started, if it started one. */
  mailbox?: SesMailbox;
  /** Where the SES client sends: the mailbox's URL, or AWS_ENDPOINT_URL_SES as given. */
  sesEndpoint: string;
  /** Stops what this started, in reverse order of start; what SNS accepted is delivered first. */
  stop(): Promise<void>;
}

export interface LocalPlatformOptions extends LocalServicesOptions {
  /** Wraps what the relay publishes to (the in-process SNS), e.g. to make publishing fail in a test. */
  wrapPublisher?: (sns: EventPublisher) => EventPublisher;
}

export interface LocalPlatform extends LocalServices {
  api: RunningApi;
  /** What the relay publishes to: the in-process SNS, wrapped if asked. */
  publisher: EventPublisher;
}

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const env = { ...(options.env ?? process.env) };
  const stops = new StopList();
  try {
    let postgres: LocalPostgres | undefined;
    let mailbox: SesMailbox | undefined;
    if (!env.DATABASE_URL && !env.DB_HOST) {
      const server = (postgres = await startLocalPostgres({ dataDir: path.join(options.dataDir, "postgres"), persistent: true }));
      stops.add(() => server.stop());
      env.DATABASE_URL = server.url();
    }
    if (!env.AWS_ENDPOINT_URL_SES) {
      const server = (mailbox = await startSesMailbox({ port: options.sesMailboxPort }));
      stops.add(() => server.stop());
      env.AWS_ENDPOINT_URL_SES = server.url;
    }
    const sesEndpoint = env.AWS_ENDPOINT_URL_SES;
    // The AWS SDK reads its endpoint and credentials from the process's own environment.
    if (process.env.AWS_ENDPOINT_URL_SES !== sesEndpoint) useSesMailbox(sesEndpoint);

    const apiConfig = loadApiConfig(env);
    const logger = options.logger ?? createLogger({ level: apiConfig.logLevel, service: "local", env: apiConfig.appEnv });
    const campaignConfig = loadCampaignConfig(env);
    const campaign = await startCampaignService(campaignConfig);
    stops.add(() => campaign.stop());
    const sns = new InProcessSns({
      deliver: options.wrapSubscriber?.(campaign.handle) ?? campaign.handle,
      topicArn: apiConfig.snsTopicArn,
      logger,
      retryDelaysMs: options.snsRetryDelaysMs,
      concurrency: campaignConfig.database.poolMax, // one invocation per connection: none waits for the pool
      deadLetterFile: path.join(options.dataDir, "dead-letters.jsonl"),
    });
    stops.add(() => sns.drain());
    return { env, apiConfig, sns, campaign, logger, postgres, mailbox, sesEndpoint, stop: () => stops.run() };
  } catch (err) {
    await stops.run().catch(() => undefined); // leave no PostgreSQL running behind a failed start
    throw err;
  }
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const services = await startLocalServices(options);
  const stops = new StopList();
  stops.add(() => services.stop());
  try {
    const publisher = options.wrapPublisher?.(services.sns) ?? services.sns;
    const api = await startApi(services.apiConfig, { publisher });
    stops.add(() => api.stop()); // the relay stops with it; what it published is delivered before the services stop
    const seeded = await seedDemoCampaigns(api.db);
    if (seeded) services.logger.info({ seeded }, "demo campaigns created");
    return { ...services, api, publisher, stop: () => stops.run() };
  } catch (err) {
    await stops.run().catch(() => undefined);
    throw err;
  }
}

/** Stop steps, run last-added first; every step runs even when an earlier one failed. */
class StopList {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.unshift(step);
  }

  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0)) await step().catch((err) => failures.push(err));
    if (failures.length) throw new AggregateError(failures, "stopping the local platform failed");
  }
}
