/**
 * The whole platform on this machine, composed once for `npm start`, the fault tests, the soak and
 * the benchmarks, in the cloud's topology: the API's relay publishes with the real SNS client to
 * a local SNS endpoint, which delivers to a welcome queue (SQS semantics, kept in PostgreSQL), which
 * an event source mapping feeds to the campaign function, which sends through a local SES endpoint
 * with a quota and a mailbox; `broadcast.launched` goes to the broadcast queue and function
 * (local/broadcast-queue.ts). The local SES publishes each email's events (the mailbox simulator's
 * bounces and complaints) through the local SNS, signed, to the SES events queue, whose mapping feeds
 * the function's `sesEventsHandler`. PostgreSQL is embedded unless DATABASE_URL or DB_HOST is given; SES is
 * local unless AWS_ENDPOINT_URL_SES is given. What AWS keeps through a crash is kept here too.
 * As on AWS, the migrations run first as the database's owner (DATABASE_URL), then the API and the
 * function connect as their own roles, which cannot change the schema (api/src/database-roles/).
 */
import path from "node:path";
import { RunningApi, startApi } from "../api/src/main";
import { CampaignService, startCampaignService } from "../campaign/src/campaign-service";
import { DeadLetters } from "../campaign/src/dead-letters";
import { ApiConfig, loadApiConfig, loadCampaignConfig, loadLocalConfig, LocalConfig } from "../shared/src/config";
import { createDatabase } from "../shared/src/database";
import { createLogger, Logger } from "../shared/src/logger";
import { LocalEventSourceMapping, QueueFunction } from "./aws/event-source-mapping";
import { prepareServiceRoles, readOrCreateRolePasswords, RolePasswords, ServiceDatabaseUrls } from "./database-roles";
import { LocalQueues } from "./aws/queues";
import { SesEndpoint, startSesEndpoint, useDummyCredentials, useSesEndpoint } from "./aws/ses-endpoint";
import { SnsEndpoint, startSnsEndpoint } from "./aws/sns-endpoint";
import { BROADCAST_QUEUE, broadcastQueues, broadcastSubscription, startBroadcastFunction } from "./broadcast-queue";
import { seedDemoCampaigns } from "./demo-campaigns";
import { LocalPostgres, startLocalPostgres } from "./embedded-postgres";
import { LOCAL_CONFIGURATION_SET, SES_EVENTS_QUEUE, sesEventsQueues, sesEventsTopicArn } from "./ses-events-queue";
import { localQueueSettings, WELCOME_QUEUE, welcomeQueues } from "./welcome-queue";

export interface LocalServicesOptions {
  /** The configuration, as the services read it from the environment. Default `process.env`; never modified. */
  env?: NodeJS.ProcessEnv;
  /** Where the embedded PostgreSQL (`<dataDir>/postgres`), the SES mailbox (`ses-mailbox.jsonl`) and the SNS signing key (`sns-endpoint.json`) are kept across stops. */
  dataDir: string;
  /** Port of the SES endpoint and mailbox this starts; default a free one. */
  sesPort?: number;
  /** Overrides of the LOCAL_* settings (latencies, SES quota, time scale), e.g. for a test. */
  local?: Partial<LocalConfig>;
  /** Default: one built from the configured level and environment. */
  logger?: Logger;
  /** Wraps the function the queue invokes, e.g. to count deliveries. */
  wrapFunction?: (handle: QueueFunction) => QueueFunction;
  /** Passwords the services' database roles get; default: kept in `<dataDir>/database-role-passwords.json`. */
  rolePasswords?: RolePasswords;
}

/** Everything but the API: what the API's relay publishes to, and what that sets going. */
export interface LocalServices {
  /** The configuration completed with where things are (DATABASE_URL, the owner's; AWS_ENDPOINT_URL_SNS/SES). */
  env: NodeJS.ProcessEnv;
  /** The database as its owner (migrations, the local AWS stand-ins' own tables) and as each service's role. */
  databaseUrls: { owner: string } & ServiceDatabaseUrls;
  /** The API's configuration: connecting as the API's role. */
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
  /** Messages in each queue and its dead-letter queue (visible or in flight). */
  queueDepths(): Promise<{ welcome: number; deadLetters: number; broadcast: number; broadcastDeadLetters: number; sesEvents: number; sesEventsDeadLetters: number }>;
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
    const ownerConfig = loadApiConfig(env);
    const logger = options.logger ?? createLogger({ level: ownerConfig.logLevel, service: "local", env: ownerConfig.appEnv });
    // The local AWS services keep their state (queues, mailbox) in the platform's PostgreSQL, as its owner.
    const ownerUrl = env.DATABASE_URL!;
    const store = createDatabase({ kind: "url", url: ownerUrl, poolMax: 4 }, { region: ownerConfig.awsRegion, logger });
    stops.add(() => store.destroy());
    // The function's tables must exist before the queue feeds it, and the roles before the services connect.
    const rolePasswords = options.rolePasswords ?? (await readOrCreateRolePasswords(options.dataDir));
    const roleUrls = await prepareServiceRoles(store, ownerUrl, rolePasswords);
    const apiConfig = loadApiConfig({ ...env, DATABASE_URL: roleUrls.api });

    const settings = localQueueSettings(local.timeScale);
    const queues = await LocalQueues.open(store, [...welcomeQueues(settings), ...broadcastQueues(settings), ...sesEventsQueues(settings)]);
    const sesEventsTopic = sesEventsTopicArn(apiConfig.awsRegion);
    const sns = await startSnsEndpoint({
      queues,
      latencyMs: local.snsLatencyMs,
      subscriptions: [
        { topicArn: apiConfig.snsTopicArn, queue: WELCOME_QUEUE, filterPolicy: { event_type: ["customer.registered"] } },
        broadcastSubscription(apiConfig.snsTopicArn),
        { topicArn: sesEventsTopic, queue: SES_EVENTS_QUEUE },
      ],
      signatureVersions: { [sesEventsTopic]: "2" },
      stateFile: path.join(options.dataDir, "sns-endpoint.json"), // notifications signed before a crash verify after it
    });
    stops.add(() => sns.stop());
    env.AWS_ENDPOINT_URL_SNS = sns.url;
    env.LOCAL_SNS_CERT_URL_PREFIX = `${sns.url}/`; // the function trusts the local SNS's certificate
    let ses: SesEndpoint | undefined;
    if (!env.AWS_ENDPOINT_URL_SES) {
      // Every send names the configuration set, whose events go to the SES events topic.
      const configurationSet = (env.SES_CONFIGURATION_SET ??= LOCAL_CONFIGURATION_SET);
      const endpoint = (ses = await startSesEndpoint({
        port: options.sesPort,
        mailboxFile: path.join(options.dataDir, "ses-mailbox.jsonl"),
        maxSendRate: local.sesMaxSendRate,
        latencyMs: local.sesLatencyMs,
        configurationSets: { [configurationSet]: (event) => sns.publish(sesEventsTopic, event) },
        region: apiConfig.awsRegion,
      }));
      stops.add(() => endpoint.stop());
      env.AWS_ENDPOINT_URL_SES = endpoint.url;
    }
    const sesEndpoint = env.AWS_ENDPOINT_URL_SES;
    // The AWS SDK reads endpoints and credentials from the process's own environment.
    useSesEndpoint(sesEndpoint);
    process.env.AWS_ENDPOINT_URL_SNS = sns.url;
    useDummyCredentials(env);

    // Each handler runs as a function of its own, as the stacks deploy them: its own dead-letter
    // queue, its own connections, its own event source mapping.
    const startFunction = async (queue: string, handlerOf: (service: CampaignService) => QueueFunction) => {
      const service = await startCampaignService(loadCampaignConfig({ ...env, DATABASE_URL: roleUrls.campaign }), { deadLetters: queueDeadLetters(queues, `${queue}-dlq`) });
      stops.add(() => service.stop());
      const mapping = new LocalEventSourceMapping({
        queues,
        queue,
        queueArn: `arn:aws:sqs:${apiConfig.awsRegion}:000000000000:${queue}`,
        handler: handlerOf(service),
        batchSize: settings.batchSize,
        maximumConcurrency: local.functionConcurrency,
        functionTimeoutMs: settings.functionTimeoutMs,
        logger,
      });
      mapping.start();
      stops.add(() => mapping.stop());
      return service;
    };
    const campaign = await startFunction(WELCOME_QUEUE, (service) => options.wrapFunction?.(service.handle) ?? service.handle);
    await startFunction(SES_EVENTS_QUEUE, (service) => service.handleSesEvents);
    const queueDepths = async () => ({
      welcome: await queues.depth(WELCOME_QUEUE),
      deadLetters: await queues.depth(`${WELCOME_QUEUE}-dlq`),
      broadcast: await queues.depth(BROADCAST_QUEUE),
      broadcastDeadLetters: await queues.depth(`${BROADCAST_QUEUE}-dlq`),
      sesEvents: await queues.depth(SES_EVENTS_QUEUE),
      sesEventsDeadLetters: await queues.depth(`${SES_EVENTS_QUEUE}-dlq`),
    });
    const broadcasts = await startBroadcastFunction({
      config: loadCampaignConfig({ ...env, DATABASE_URL: roleUrls.campaign }),
      queues,
      settings,
      maximumConcurrency: local.functionConcurrency,
      region: apiConfig.awsRegion,
      logger,
    });
    stops.add(() => broadcasts.stop());
    const databaseUrls = { owner: ownerUrl, ...roleUrls };
    return { env, databaseUrls, apiConfig, local, sns, queues, campaign, logger, postgres, ses, sesEndpoint, queueDepths, stop: () => stops.run() };
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

/** A local dead-letter queue as the campaign function's poison messages go to it. */
function queueDeadLetters(queues: LocalQueues, queue: string): DeadLetters {
  return { put: async (body, reason, id) => void (await queues.send(queue, [{ body, attributes: { reason, source_message_id: id } }])) };
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
