/**
 * The whole platform on this machine, composed once for `npm start`, the fault tests, the soak and
 * the benchmarks, in the cloud's topology: the API's relay publishes with the real SNS client to
 * a local SNS endpoint, which delivers to a welcome queue (SQS semantics, kept in PostgreSQL), which
 * an event source mapping feeds to the campaign function, which sends through a local SES endpoint
 * with a quota and a mailbox; `broadcast.launched` goes to the broadcast queue and function
 * (local/broadcast-queue.ts). PostgreSQL is embedded unless DATABASE_URL or DB_HOST is given; SES is
 * local unless AWS_ENDPOINT_URL_SES is given. What AWS keeps through a crash is kept here too.
 */
import path from "node:path";
import { RunningApi, startApi } from "../api/src/main";
import { migrateToLatest } from "../api/src/migrate";
import { CampaignService, startCampaignService } from "../campaign/src/campaign-service";
import { ApiConfig, loadApiConfig, loadCampaignConfig, loadLocalConfig, LocalConfig } from "../shared/src/config";
import { createDatabase } from "../shared/src/database";
import { createLogger, Logger } from "../shared/src/logger";
import { LocalEventSourceMapping, QueueFunction } from "./aws/event-source-mapping";
import { LocalQueues } from "./aws/queues";
import { SesEndpoint, startSesEndpoint, useDummyCredentials, useSesEndpoint } from "./aws/ses-endpoint";
import { SnsEndpoint, startSnsEndpoint } from "./aws/sns-endpoint";
import { BROADCAST_QUEUE, broadcastQueues, broadcastSubscription, startBroadcastFunction } from "./broadcast-queue";
import { seedDemoCampaigns } from "./demo-campaigns";
import { LocalPostgres, startLocalPostgres } from "./embedded-postgres";
import { localQueueSettings, WELCOME_QUEUE, welcomeQueues } from "./welcome-queue";

export interface LocalServicesOptions {
  /** The configuration, as the services read it from the environment. Default `process.env`; never modified. */
  env?: NodeJS.ProcessEnv;
  /** Where the embedded PostgreSQL (`<dataDir>/postgres`) and the SES mailbox (`ses-mailbox.jsonl`) keep their data across stops. */
  dataDir: string;
  /** Port of the SES endpoint and mailbox this starts; default a free one. */
  sesPort?: number;
  /** Overrides of the LOCAL_* settings (latencies, SES quota, time scale), e.g. for a test. */
  local?: Partial<LocalConfig>;
  /** Default: one built from the configured level and environment. */
  logger?: Logger;
  /** Wraps the function the queue invokes, e.g. to count deliveries. */
  wrapFunction?: (handle: QueueFunction) => QueueFunction;
}

/** Everything but the API: what the API's relay publishes to, and what that sets going. */
export interface LocalServices {
  /** The configuration completed with where things are (DATABASE_URL, AWS_ENDPOINT_URL_SNS/SES). */
  env: NodeJS.ProcessEnv;
  apiConfig: ApiConfig;
  local: LocalConfig;
  sns: SnsEndpoint;
  queues: LocalQueues;
  campaign: CampaignService;
  logger: Logger;
  /** The PostgreSQL server this started, if it started one. */
  postgres?: LocalPostgres;
  /** The SES endpoint this started, if it started one. */
  ses?: SesEndpoint;
  /** Where the SES client sends: the local endpoint's URL, or AWS_ENDPOINT_URL_SES as given. */
  sesEndpoint: string;
  /** Messages in the welcome and broadcast queues and their dead-letter queues (visible or in flight). */
  queueDepths(): Promise<{ welcome: number; deadLetters: number; broadcast: number; broadcastDeadLetters: number }>;
  /** Stops what this started, in reverse order of start. */
  stop(): Promise<void>;
}

export interface LocalPlatform extends LocalServices {
  api: RunningApi;
}

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const env = { ...(options.env ?? process.env) };
  const stops = new StopList();
  try {
    let postgres: LocalPostgres | undefined;
    if (!env.DATABASE_URL && !env.DB_HOST) {
      const server = (postgres = await startLocalPostgres({ dataDir: path.join(options.dataDir, "postgres"), persistent: true }));
      stops.add(() => server.stop());
      env.DATABASE_URL = server.url();
    }
    const local = { ...loadLocalConfig(env), ...options.local };
    const apiConfig = loadApiConfig(env);
    const logger = options.logger ?? createLogger({ level: apiConfig.logLevel, service: "local", env: apiConfig.appEnv });
    // The local AWS services keep their state (queues, mailbox) in the platform's PostgreSQL.
    const store = createDatabase({ kind: "url", url: env.DATABASE_URL!, poolMax: 4 }, { region: apiConfig.awsRegion, logger });
    stops.add(() => store.destroy());
    await migrateToLatest(store); // the function's tables must exist before the queue feeds it

    const settings = localQueueSettings(local.timeScale);
    const queues = await LocalQueues.open(store, [...welcomeQueues(settings), ...broadcastQueues(settings)]);
    let ses: SesEndpoint | undefined;
    if (!env.AWS_ENDPOINT_URL_SES) {
      const endpoint = (ses = await startSesEndpoint({ port: options.sesPort, mailboxFile: path.join(options.dataDir, "ses-mailbox.jsonl"), maxSendRate: local.sesMaxSendRate, latencyMs: local.sesLatencyMs }));
      stops.add(() => endpoint.stop());
      env.AWS_ENDPOINT_URL_SES = endpoint.url;
    }
    const sesEndpoint = env.AWS_ENDPOINT_URL_SES;
    const sns = await startSnsEndpoint({
      queues,
      latencyMs: local.snsLatencyMs,
      subscriptions: [
        { topicArn: apiConfig.snsTopicArn, queue: WELCOME_QUEUE, filterPolicy: { event_type: ["customer.registered"] } },
        broadcastSubscription(apiConfig.snsTopicArn),
      ],
    });
    stops.add(() => sns.stop());
    env.AWS_ENDPOINT_URL_SNS = sns.url;
    // The AWS SDK reads endpoints and credentials from the process's own environment.
    useSesEndpoint(sesEndpoint);
    process.env.AWS_ENDPOINT_URL_SNS = sns.url;
    useDummyCredentials(env);

    const campaign = await startCampaignService(loadCampaignConfig(env), {
      deadLetters: { put: (body, reason, id) => queues.send(`${WELCOME_QUEUE}-dlq`, [{ body, attributes: { reason, source_message_id: id } }]).then(() => undefined) },
    });
    stops.add(() => campaign.stop());
    const mapping = new LocalEventSourceMapping({
      queues,
      queue: WELCOME_QUEUE,
      queueArn: `arn:aws:sqs:${apiConfig.awsRegion}:000000000000:${WELCOME_QUEUE}`,
      handler: options.wrapFunction?.(campaign.handle) ?? campaign.handle,
      batchSize: settings.batchSize,
      maximumConcurrency: local.functionConcurrency,
      functionTimeoutMs: settings.functionTimeoutMs,
      logger,
    });
    mapping.start();
    stops.add(() => mapping.stop());
    const broadcasts = await startBroadcastFunction({ config: loadCampaignConfig(env), queues, settings, maximumConcurrency: local.functionConcurrency, region: apiConfig.awsRegion, logger });
    stops.add(() => broadcasts.stop());
    const queueDepths = async () => ({
      welcome: await queues.depth(WELCOME_QUEUE),
      deadLetters: await queues.depth(`${WELCOME_QUEUE}-dlq`),
      broadcast: await queues.depth(BROADCAST_QUEUE),
      broadcastDeadLetters: await queues.depth(`${BROADCAST_QUEUE}-dlq`),
    });
    return { env, apiConfig, local, sns, queues, campaign, logger, postgres, ses, sesEndpoint, queueDepths, stop: () => stops.run() };
  } catch (err) {
    await stops.run().catch(() => undefined); // leave no PostgreSQL running behind a failed start
    throw err;
  }
}

export async function startLocalPlatform(options: LocalServicesOptions): Promise<LocalPlatform> {
  const services = await startLocalServices(options);
  const stops = new StopList();
  stops.add(() => services.stop());
  try {
    const api = await startApi(services.apiConfig);
    stops.add(() => api.stop()); // the relay stops with it; what it claimed goes out after its lease
    const seeded = await seedDemoCampaigns(api.db);
    if (seeded) services.logger.info({ seeded }, "demo campaigns created");
    return { ...services, api, stop: () => stops.run() };
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
