/**
 * The whole platform of one stack, composed from its components. `index.ts` calls this with the
 * stack's configuration and the campaign function's bundle; the tests call it the same way with
 * each stack's configuration under Pulumi's mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { API_PORT, ApiService } from "./api-service";
import { CampaignFunction } from "./campaign-function";
import { ContainerImage } from "./container-image";
import { Database } from "./database";
import { Events } from "./events";
import { GeneratedSecret } from "./generated-secret";
import { LoadBalancer } from "./load-balancer";
import { Network } from "./network";
import { SecurityGroups } from "./security-groups";
import { StackConfig } from "./stack-config";

export interface PlatformArtifacts {
  /** The campaign function's bundle (`index.js` exporting `handler`). */
  campaignCode: pulumi.Input<pulumi.asset.Archive>;
}

/** The stack outputs: where to reach things, never a secret value. */
export interface PlatformOutputs {
  apiUrl: pulumi.Output<string>;
  swaggerUiUrl: pulumi.Output<string>;
  ecrRepositoryUrl: pulumi.Output<string>;
  databaseEndpoint: pulumi.Output<string>;
  topicArn: pulumi.Output<string>;
  campaignFunctionName: pulumi.Output<string>;
  deadLetterQueueUrl: pulumi.Output<string>;
  /** Where to read the admin API key (`aws secretsmanager get-secret-value --secret-id …`). */
  adminApiKeySecretArn: pulumi.Output<string>;
}

export function createPlatform(config: StackConfig, artifacts: PlatformArtifacts): PlatformOutputs {
  // Physical names start with this (AWS names allow neither `_` nor long prefixes).
  const prefix = `${pulumi.getProject().replace(/[^a-zA-Z0-9]/g, "")}-${pulumi.getStack()}`;
  const common = { appEnv: config.appEnv, logLevel: config.logLevel, logRetentionDays: config.logRetentionDays };

  const network = new Network(`${prefix}-network`, config.network);
  const firewall = new SecurityGroups(`${prefix}-sg`, { vpcId: network.vpcId, containerPort: API_PORT, https: config.https !== undefined });
  const secret = (name: string, description: string) =>
    new GeneratedSecret(`${prefix}-${name}`, { description, recoveryWindowDays: config.secretRecoveryWindowDays });
  const adminApiKey = secret("admin-api-key", "x-api-key of the campaign admin routes");
  const unsubscribeKey = secret("unsubscribe-signing-key", "HMAC key signing unsubscribe links");

  const database = new Database(`${prefix}-database`, {
    ...config.database,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.database.id,
  });
  const events = new Events(`${prefix}-events`, { alarmTopicArn: config.alarmTopicArn });
  const image = new ContainerImage(`${prefix}-api-image`, { forceDelete: config.ecrForceDelete });
  const loadBalancer = new LoadBalancer(`${prefix}-lb`, {
    vpcId: network.vpcId,
    subnetIds: network.publicSubnetIds,
    securityGroupId: firewall.loadBalancer.id,
    containerPort: API_PORT,
    https: config.https,
  });
  new ApiService(`${prefix}-api`, {
    ...config.api,
    ...common,
    region: config.region,
    imageUri: image.imageUri,
    repositoryArn: image.repositoryArn,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.apiService.id,
    targetGroupArn: loadBalancer.targetGroup.arn,
    listeners: loadBalancer.listeners,
    database: database.connection,
    topicArn: events.topic.arn,
    adminApiKeySecretArn: adminApiKey.arn,
    unsubscribeKeySecretArn: unsubscribeKey.arn,
  });
  const campaign = new CampaignFunction(`${prefix}-campaign`, {
    ...config.campaign,
    ...common,
    code: artifacts.campaignCode,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.campaignFunction.id,
    database: database.connection,
    unsubscribeKeySecretArn: unsubscribeKey.arn,
    publicBaseUrl: loadBalancer.url,
    topic: events.topic,
    deadLetterQueue: events.deadLetterQueue,
  });

  return {
    apiUrl: loadBalancer.url,
    swaggerUiUrl: pulumi.interpolate`${loadBalancer.url}/docs`,
    ecrRepositoryUrl: image.repositoryUrl,
    databaseEndpoint: database.endpoint,
    topicArn: events.topic.arn,
    campaignFunctionName: campaign.functionName,
    deadLetterQueueUrl: events.deadLetterQueue.url,
    adminApiKeySecretArn: adminApiKey.arn,
  };
}
