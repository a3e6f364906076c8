/**
 * The whole platform of one stack, composed from its components. `index.ts` calls this with the
 * stack's configuration and the campaign function's bundle; the tests call it the same way with
 * each stack's configuration under Pulumi's mocks.
 *
 * Paused (`paused: true`), the stack keeps everything that holds data or costs nothing idle (VPC
 * and subnets, database, secrets, image repository, topics and queues, functions, log groups,
 * alarms, dashboard) with unchanged inputs, so none of it is replaced, and drops what costs by the
 * hour: NAT gateways, the load balancer and the API's service. The queues' consumers are disabled.
 */
import * as pulumi from "@pulumi/pulumi";
import { DATABASE_ROLES } from "../shared/src/database-roles";
import { checkSenderEmail, readAccountStack } from "./account-stack";
import { API_PORT } from "./api-container";
import { ApiService } from "./api-service";
import { BroadcastingOutputs, createBroadcasting } from "./broadcasting";
import { CampaignFunction, CampaignFunctionArgs } from "./campaign-function";
import { ContainerImage } from "./container-image";
import { Dashboard } from "./dashboard";
import { Database } from "./database";
import { serviceDatabaseAccess } from "./database-access";
import { Events } from "./events";
import { GeneratedSecret } from "./generated-secret";
import { LoadBalancer } from "./load-balancer";
import { MigratorFunction } from "./migrator-function";
import { Network } from "./network";
import { PipelineAlarms } from "./pipeline-alarms";
import { SecurityGroups } from "./security-groups";
import { SesEvents } from "./ses-events";
import { StackConfig } from "./stack-config";
import { UnsubscribeSigningKeys } from "./unsubscribe-signing-keys";
import { WelcomeQueue } from "./welcome-queue";

export interface PlatformArtifacts {
  /** The campaign functions' bundle (`index.js` exporting `handler`, `broadcastHandler`, `sesEventsHandler`). */
  campaignCode: pulumi.Input<pulumi.asset.Archive>;
  /** The migrator function's bundle, migrations inside (`index.js` exporting `handler`). */
  migratorCode: pulumi.Input<pulumi.asset.Archive>;
}

/** The stack outputs: where to reach things, never a secret value. */
export interface PlatformOutputs extends BroadcastingOutputs {
  /** True while the stack is paused: the URLs below are then absent. */
  paused: boolean;
  /** Whether the API is served over HTTPS (prod always; dev serves plain HTTP unless given a domain). */
  servesHttps: boolean;
  apiUrl?: pulumi.Output<string>;
  swaggerUiUrl?: pulumi.Output<string>;
  /** What the domain's DNS record points to (docs/deploy.md). */
  loadBalancerDnsName?: pulumi.Output<string>;
  ecrRepositoryUrl: pulumi.Output<string>;
  databaseEndpoint: pulumi.Output<string>;
  topicArn: pulumi.Output<string>;
  welcomeQueueUrl: pulumi.Output<string>;
  deadLetterQueueUrl: pulumi.Output<string>;
  campaignFunctionName: pulumi.Output<string>;
  /** The function that applies the migrations on every deploy that changes them (docs/deploy.md). */
  migratorFunctionName: pulumi.Output<string>;
  /** Where to read the admin API key (`aws secretsmanager get-secret-value --secret-id …`). */
  adminApiKeySecretArn: pulumi.Output<string>;
  dashboardUrl: pulumi.Output<string>;
}

export async function createPlatform(config: StackConfig, artifacts: PlatformArtifacts): Promise<PlatformOutputs> {
  // Physical names start with this (AWS names allow neither `_` nor long prefixes).
  const prefix = `${pulumi.getProject().replace(/[^a-zA-Z0-9]/g, "")}-${pulumi.getStack()}`;
  const common = { appEnv: config.appEnv, logLevel: config.logLevel, logRetentionDays: config.logRetentionDays };
  const { paused } = config;

  const account = await readAccountStack(config.accountStack);
  const senderEmail = checkSenderEmail(config.campaign.senderEmail, account.senderIdentity);
  const network = new Network(`${prefix}-network`, { ...config.network, paused });
  const firewall = new SecurityGroups(`${prefix}-sg`, { vpcId: network.vpcId, containerPort: API_PORT, https: config.https !== undefined });
  const adminApiKey = new GeneratedSecret(`${prefix}-admin-api-key`, {
    description: "x-api-key of the campaign admin routes",
    recoveryWindowDays: config.secretRecoveryWindowDays,
  });
  const unsubscribeKeys = new UnsubscribeSigningKeys(`${prefix}-unsubscribe-signing-key`, {
    generation: config.unsubscribeKeyGeneration,
    recoveryWindowDays: config.secretRecoveryWindowDays,
  });
  const keys = { unsubscribeKeySecretArn: unsubscribeKeys.currentSecretArn, previousUnsubscribeKeySecretArn: unsubscribeKeys.previousSecretArn };

  const database = new Database(`${prefix}-database`, {
    ...config.database,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.database.id,
  });
  const migrator = new MigratorFunction(`${prefix}-migrator`, {
    ...common,
    paused,
    code: artifacts.migratorCode,
    subnetIds: network.privateSubnetIdsWithEgress,
    securityGroupId: firewall.migrator.id,
    replacementSecurityGroupId: network.defaultSecurityGroupId,
    database: database.connection,
  });
  // New code runs only against the schema it was written for.
  const afterMigrations = { dependsOn: migrator.migrations ? [migrator.migrations] : [] };
  const events = new Events(`${prefix}-events`);
  const welcome = new WelcomeQueue(`${prefix}-welcome`, {
    topic: events.topic,
    deadLetterQueue: events.deadLetterQueue,
    functionTimeoutSeconds: config.campaign.timeoutSeconds,
  });
  const sesEvents = new SesEvents(`${prefix}-ses-events`, {
    configurationSetName: `${prefix}-emails`,
    topicName: `${prefix}-ses-events`,
    functionTimeoutSeconds: config.campaign.timeoutSeconds,
  });
  const image = new ContainerImage(`${prefix}-api-image`, { forceDelete: config.ecrForceDelete });
  const loadBalancer = paused
    ? undefined
    : new LoadBalancer(`${prefix}-lb`, {
        vpcId: network.vpcId,
        subnetIds: network.publicSubnetIds,
        securityGroupId: firewall.loadBalancer.id,
        containerPort: API_PORT,
        idleTimeoutSeconds: config.api.idleTimeoutSeconds,
        https: config.https,
      });
  const api = new ApiService(`${prefix}-api`, {
    ...config.api,
    ...common,
    ...keys,
    region: config.region,
    personalDataRetentionDays: config.personalDataRetentionDays,
    imageUri: image.imageUri,
    repositoryArn: image.repositoryArn,
    subnetIds: network.privateSubnetIdsWithEgress,
    securityGroupId: firewall.apiService.id,
    database: serviceDatabaseAccess(database, DATABASE_ROLES.api),
    topicArn: events.topic.arn,
    adminApiKeySecretArn: adminApiKey.arn,
    serving: loadBalancer && { targetGroupArn: loadBalancer.targetGroup.arn, listeners: loadBalancer.listeners, publicBaseUrl: loadBalancer.url },
  }, afterMigrations);
  const campaignArgs: CampaignFunctionArgs = {
    ...config.campaign,
    ...common,
    ...keys,
    paused,
    code: artifacts.campaignCode,
    senderEmail,
    sesIdentityArns: [account.senderIdentityArn, ...account.sandboxRecipientIdentityArns],
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.campaignFunction.id,
    replacementSecurityGroupId: network.defaultSecurityGroupId,
    database: serviceDatabaseAccess(database, DATABASE_ROLES.campaign),
    // The URL of a paused stack with a domain stays right; without one there is none until it resumes.
    publicBaseUrl: loadBalancer?.url ?? (config.https && `https://${config.https.domainName}`),
    queue: welcome.queue,
    deadLetterQueue: events.deadLetterQueue,
    sesConfigurationSet: sesEvents.configurationSet,
  };
  const campaign = new CampaignFunction(`${prefix}-campaign`, campaignArgs, afterMigrations);
  const broadcasting = createBroadcasting(
    prefix,
    {
      campaign: campaignArgs,
      broadcast: config.broadcast,
      sesEvents: config.sesEvents,
      topic: events.topic,
      ses: sesEvents,
      alarmTopicArn: config.alarmTopicArn,
    },
    afterMigrations,
  );

  new PipelineAlarms(`${prefix}-alarms`, {
    appEnv: config.appEnv,
    welcomeQueueName: welcome.queue.name,
    deadLetterQueueName: events.deadLetterQueue.name,
    alarmTopicArn: config.alarmTopicArn,
    paused,
  });
  const dashboard = new Dashboard(`${prefix}-dashboard`, {
    region: config.region,
    appEnv: config.appEnv,
    api: loadBalancer && api.serviceName && { loadBalancerArnSuffix: loadBalancer.arnSuffix, clusterName: api.clusterName, serviceName: api.serviceName },
    databaseIdentifier: database.identifier,
    functionName: campaign.functionName,
    welcomeQueueName: welcome.queue.name,
    deadLetterQueueName: events.deadLetterQueue.name,
    ...broadcasting.monitored,
  });

  return {
    paused,
    servesHttps: config.https !== undefined,
    apiUrl: loadBalancer?.url,
    swaggerUiUrl: loadBalancer && pulumi.interpolate`${loadBalancer.url}/docs`,
    loadBalancerDnsName: loadBalancer?.dnsName,
    ecrRepositoryUrl: image.repositoryUrl,
    databaseEndpoint: database.endpoint,
    topicArn: events.topic.arn,
    welcomeQueueUrl: welcome.queue.url,
    deadLetterQueueUrl: events.deadLetterQueue.url,
    campaignFunctionName: campaign.functionName,
    ...broadcasting.outputs,
    migratorFunctionName: migrator.functionName,
    adminApiKeySecretArn: adminApiKey.arn,
    dashboardUrl: dashboard.url,
  };
}
