/**
 * The API's container as the task definition declares it: the image, its port, its logs and
 * exactly the environment shared/src/config.ts reads (secrets by ARN only; the API reads them).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceDatabaseAccess } from "./database-access";

/** The port the API listens on in its container (`PORT`). */
export const API_PORT = 3000;
export const CONTAINER_NAME = "api";
/** Proxies in front of the API whose X-Forwarded-For it trusts: the load balancer. */
const TRUSTED_PROXY_HOPS = 1;

export interface ApiEnvironmentArgs {
  appEnv: string;
  logLevel: string;
  region: string;
  /** As the API's own database role (IAM authentication). */
  database: ServiceDatabaseAccess;
  topicArn: pulumi.Input<string>;
  adminApiKeySecretArn: pulumi.Input<string>;
  unsubscribeKeySecretArn: pulumi.Input<string>;
  /** The key before the last rotation; none before the first. */
  previousUnsubscribeKeySecretArn?: pulumi.Input<string>;
  /** Days personal data is kept where nothing needs it any more. */
  personalDataRetentionDays: number;
  /** The load balancer's idle timeout, from which the API derives its keep-alive timeout. */
  idleTimeoutSeconds: number;
  /** The API's public URL (`https://…` turns on HSTS). */
  publicBaseUrl: pulumi.Input<string>;
}

export interface ApiContainerArgs extends ApiEnvironmentArgs {
  imageUri: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
}

/** The variables the API reads, wired to this stack's resources. */
export function apiEnvironment(args: ApiEnvironmentArgs): Record<string, pulumi.Input<string>> {
  return {
    APP_ENV: args.appEnv,
    LOG_LEVEL: args.logLevel,
    AWS_REGION: args.region,
    HOST: "0.0.0.0", // reached by the load balancer through the task's network interface
    PORT: String(API_PORT),
    TRUST_PROXY_HOPS: String(TRUSTED_PROXY_HOPS),
    LOAD_BALANCER_IDLE_TIMEOUT_SECONDS: String(args.idleTimeoutSeconds),
    PUBLIC_BASE_URL: args.publicBaseUrl,
    PERSONAL_DATA_RETENTION_DAYS: String(args.personalDataRetentionDays),
    ...args.database.environment,
    SNS_TOPIC_ARN: args.topicArn,
    ADMIN_API_KEY_SECRET_ARN: args.adminApiKeySecretArn,
    UNSUBSCRIBE_SIGNING_KEY_SECRET_ARN: args.unsubscribeKeySecretArn,
    ...(args.previousUnsubscribeKeySecretArn ? { UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN: args.previousUnsubscribeKeySecretArn } : {}),
  };
}

/** The task's one container definition. */
export function apiContainer(args: ApiContainerArgs) {
  return {
    name: CONTAINER_NAME,
    image: args.imageUri,
    essential: true,
    readonlyRootFilesystem: true, // the API writes nothing to disk; logs go to stdout
    portMappings: [{ containerPort: API_PORT, protocol: "tcp" }],
    environment: Object.entries(apiEnvironment(args)).map(([name, value]) => ({ name, value })),
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": args.logGroupName, "awslogs-region": args.region, "awslogs-stream-prefix": CONTAINER_NAME },
    },
  };
}
