import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { boundedRequests } from "./aws-requests";
import { SecretSource } from "./config";

let client: SecretsManagerClient | undefined;

/** Reads a secret's current value. Not cached here: callers cache and decide when to read again. */
export async function readSecretString(secretArn: string, region: string): Promise<string> {
  client ??= new SecretsManagerClient({ region, requestHandler: boundedRequests });
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (result.SecretString === undefined) throw new Error(`Secret ${secretArn} has no string value`);
  return result.SecretString;
}

/** Resolves a configured secret once (for values that are not rotated under a running process). */
export async function resolveSecret(source: SecretSource, region: string): Promise<string> {
  return "value" in source ? source.value : readSecretString(source.secretArn, region);
}
