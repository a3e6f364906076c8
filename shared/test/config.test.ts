import assert from "node:assert/strict";
import { ConfigError, loadApiConfig, loadCampaignConfig } from "../src/config";

const KEY = "k".repeat(32);
const DATABASE_URL = "postgres://app:secret@db.internal:5432/ecom";

/** The least a local API needs; everything else has a default. */
const apiEnv = (overrides: Record<string, string | undefined> = {}) => ({
  DATABASE_URL,
  SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:t",
  ADMIN_API_KEY: KEY,
  UNSUBSCRIBE_SIGNING_KEY: KEY,
  ...overrides,
});

const campaignEnv = (overrides: Record<string, string | undefined> = {}) => ({
  DATABASE_URL,
  UNSUBSCRIBE_SIGNING_KEY: KEY,
  SENDER_EMAIL: "offers@shop.example.com",
  PUBLIC_BASE_URL: "https://api.shop.example.com/",
  ...overrides,
});

/** What a deployed campaign function gets besides `campaignEnv`. */
const CLOUD = {
  APP_ENV: "dev",
  AWS_REGION: "us-east-1",
  DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/ecom-dev-dlq",
  SES_CONFIGURATION_SET: "ecom-dev",
};

/** RDS with IAM authentication, as the stacks configure the services. */
const IAM_DATABASE = { DATABASE_URL: undefined, DB_HOST: "db.internal", DB_NAME: "ecom", DB_IAM_AUTH: "true", DB_USER: "ecom_api" };

/** Expects a ConfigError whose message names every one of `names`. */
function assertConfigErrorNaming(load: () => unknown, ...names: string[]): void {
  assert.throws(load, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    for (const name of names) assert.match(err.message, new RegExp(`\\b${name}\\b`), `the message names ${name}`);
    return true;
  });
}

describe("configuration", () => {
  describe("loadApiConfig", () => {
    it("when only the required variables are set, then the defaults fill the rest", () => {
      const config = loadApiConfig(apiEnv());

      assert.equal(config.appEnv, "local");
      assert.equal(config.port, 3000);
      assert.equal(config.logLevel, "info");
      assert.equal(config.awsRegion, "us-east-1");
      assert.deepEqual(config.database, { kind: "url", url: DATABASE_URL, poolMax: 10 });
      assert.deepEqual(config.adminApiKey, { value: KEY });
      assert.deepEqual(config.corsOrigins, []);
      assert.equal(config.personalDataRetentionDays, 7);
      assert.equal(config.unsubscribeSigningKeyPrevious, undefined);
    });

    it("when the signing key before the last rotation is given, directly or as a secret, then both services load it", () => {
      const previous = "p".repeat(32);
      const arn = "arn:aws:secretsmanager:us-east-1:1:secret:unsubscribe-previous";

      assert.deepEqual(loadApiConfig(apiEnv({ UNSUBSCRIBE_SIGNING_KEY_PREVIOUS: previous })).unsubscribeSigningKeyPrevious, { value: previous });
      assert.deepEqual(loadApiConfig(apiEnv({ UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN: arn })).unsubscribeSigningKeyPrevious, { secretArn: arn });
      assert.deepEqual(loadCampaignConfig(campaignEnv({ UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN: arn })).unsubscribeSigningKeyPrevious, { secretArn: arn });
    });

    it("when the database is given as host and secret, then the credentials come from that secret over verified TLS", () => {
      const config = loadApiConfig(
        apiEnv({ DATABASE_URL: undefined, DB_HOST: "db.internal", DB_NAME: "ecom", DB_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:1:secret:db" }),
      );

      assert.deepEqual(config.database, {
        kind: "secret",
        host: "db.internal",
        port: 5432,
        database: "ecom",
        secretArn: "arn:aws:secretsmanager:us-east-1:1:secret:db",
        ssl: true,
        poolMax: 10,
      });
    });

    it("when the database is given as host and user with IAM authentication, then both services connect with tokens over verified TLS, with no secret", () => {
      const iam = { DATABASE_URL: undefined, DB_HOST: "db.internal", DB_PORT: "5433", DB_NAME: "ecom", DB_IAM_AUTH: "true" };

      const api = loadApiConfig(apiEnv({ ...iam, DB_USER: "ecom_api" }));
      const campaign = loadCampaignConfig(campaignEnv({ ...iam, DB_USER: "ecom_campaign" }));

      const expected = { kind: "iam", host: "db.internal", port: 5433, database: "ecom", ssl: true, poolMax: 10 };
      assert.deepEqual(api.database, { ...expected, user: "ecom_api" });
      assert.deepEqual(campaign.database, { ...expected, user: "ecom_campaign" });
    });

    it("when values come as strings, then they are converted and CORS origins are split", () => {
      const config = loadApiConfig(apiEnv({ PORT: "8080", CORS_ORIGINS: "https://a.example.com, https://b.example.com" }));

      assert.equal(config.port, 8080);
      assert.deepEqual(config.corsOrigins, ["https://a.example.com", "https://b.example.com"]);
    });

    it("when the network and registration variables are not set, then the API listens on loopback, believes no proxy, fits a 60 s load balancer and allows 10 registrations an hour", () => {
      const config = loadApiConfig(apiEnv());

      assert.deepEqual(
        [config.host, config.trustProxyHops, config.loadBalancerIdleTimeoutSeconds, config.publicBaseUrl],
        ["127.0.0.1", 0, 60, undefined],
      );
      assert.deepEqual([config.rateLimits.registrationsPerClient, config.rateLimits.registrationWindowMs], [10, 3_600_000]);
    });

    it("when the network and registration variables are set, then they are read", () => {
      const config = loadApiConfig(
        apiEnv({
          HOST: "0.0.0.0",
          TRUST_PROXY_HOPS: "1",
          LOAD_BALANCER_IDLE_TIMEOUT_SECONDS: "120",
          PUBLIC_BASE_URL: "https://api.shop.example.com",
          RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "3",
          RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: "86400",
        }),
      );

      assert.deepEqual(
        [config.host, config.trustProxyHops, config.loadBalancerIdleTimeoutSeconds, config.publicBaseUrl],
        ["0.0.0.0", 1, 120, "https://api.shop.example.com"],
      );
      assert.deepEqual([config.rateLimits.registrationsPerClient, config.rateLimits.registrationWindowMs], [3, 86_400_000]);
    });

    for (const [what, overrides, named] of [
      ["SNS_TOPIC_ARN is missing", { SNS_TOPIC_ARN: undefined }, ["SNS_TOPIC_ARN"]],
      ["SNS_TOPIC_ARN is not an SNS ARN", { SNS_TOPIC_ARN: "arn:aws:sqs:us-east-1:1:q" }, ["SNS_TOPIC_ARN"]],
      ["PORT is not a port", { PORT: "eighty" }, ["PORT"]],
      ["PORT is out of range", { PORT: "70000" }, ["PORT"]],
      ["APP_ENV is unknown", { APP_ENV: "staging" }, ["APP_ENV"]],
      ["LOG_LEVEL is unknown", { LOG_LEVEL: "verbose" }, ["LOG_LEVEL"]],
      ["AWS_REGION is missing outside local", { APP_ENV: "prod", AWS_REGION: undefined }, ["AWS_REGION"]],
      ["AWS_REGION is malformed", { AWS_REGION: "Virginia" }, ["AWS_REGION"]],
      ["there is no database at all", { DATABASE_URL: undefined }, ["DATABASE_URL", "DB_HOST"]],
      ["both database forms are given", { DB_HOST: "db.internal", DB_NAME: "e", DB_SECRET_ARN: "arn:x" }, ["DATABASE_URL", "DB_HOST"]],
      ["DATABASE_URL is not a PostgreSQL URL", { DATABASE_URL: "mysql://db/ecom" }, ["DATABASE_URL"]],
      ["DB_HOST comes without DB_NAME and DB_SECRET_ARN", { DATABASE_URL: undefined, DB_HOST: "db.internal" }, ["DB_NAME", "DB_SECRET_ARN"]],
      ["DB_POOL_MAX is zero", { DB_POOL_MAX: "0" }, ["DB_POOL_MAX"]],
      ["DB_IAM_AUTH comes without DB_USER", { ...IAM_DATABASE, DB_USER: undefined }, ["DB_USER", "DB_IAM_AUTH"]],
      ["DB_IAM_AUTH comes with DB_SECRET_ARN too", { ...IAM_DATABASE, DB_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:1:secret:db" }, ["DB_SECRET_ARN", "DB_IAM_AUTH"]],
      ["DB_IAM_AUTH comes with DATABASE_URL", { DB_IAM_AUTH: "true", DB_USER: "ecom_api" }, ["DB_IAM_AUTH", "DB_HOST"]],
      ["DB_IAM_AUTH comes with DB_SSL=off (RDS takes tokens over TLS only)", { ...IAM_DATABASE, DB_SSL: "off" }, ["DB_SSL", "DB_IAM_AUTH"]],
      ["DB_IAM_AUTH is not a boolean", { ...IAM_DATABASE, DB_IAM_AUTH: "yes please" }, ["DB_IAM_AUTH"]],
      ["DB_USER is not a PostgreSQL role name", { ...IAM_DATABASE, DB_USER: "ecom api; DROP" }, ["DB_USER"]],
      ["DB_USER comes without DB_IAM_AUTH (the secret names the user)", { DB_USER: "ecom_api" }, ["DB_USER", "DB_IAM_AUTH"]],
      ["ADMIN_API_KEY is too short to resist guessing", { ADMIN_API_KEY: "short" }, ["ADMIN_API_KEY"]],
      ["neither ADMIN_API_KEY nor its secret is given", { ADMIN_API_KEY: undefined }, ["ADMIN_API_KEY", "ADMIN_API_KEY_SECRET_ARN"]],
      ["UNSUBSCRIBE_SIGNING_KEY is under 32 characters", { UNSUBSCRIBE_SIGNING_KEY: "k".repeat(31) }, ["UNSUBSCRIBE_SIGNING_KEY"]],
      ["CORS_ORIGINS holds something other than origins", { CORS_ORIGINS: "*" }, ["CORS_ORIGINS"]],
      ["OUTBOX_SWEEP_INTERVAL_MS would spin", { OUTBOX_SWEEP_INTERVAL_MS: "1" }, ["OUTBOX_SWEEP_INTERVAL_MS"]],
      ["HOST is not an address or host name", { HOST: "0.0.0.0:3000" }, ["HOST"]],
      ["TRUST_PROXY_HOPS is true (anyone could pick their address)", { TRUST_PROXY_HOPS: "true" }, ["TRUST_PROXY_HOPS"]],
      ["TRUST_PROXY_HOPS is negative", { TRUST_PROXY_HOPS: "-1" }, ["TRUST_PROXY_HOPS"]],
      ["LOAD_BALANCER_IDLE_TIMEOUT_SECONDS is beyond the ALB's 4000", { LOAD_BALANCER_IDLE_TIMEOUT_SECONDS: "4001" }, ["LOAD_BALANCER_IDLE_TIMEOUT_SECONDS"]],
      ["PUBLIC_BASE_URL is not http(s)", { PUBLIC_BASE_URL: "ftp://api.shop.example.com" }, ["PUBLIC_BASE_URL"]],
      ["RATE_LIMIT_REGISTRATIONS_PER_CLIENT is zero", { RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "0" }, ["RATE_LIMIT_REGISTRATIONS_PER_CLIENT"]],
      ["RATE_LIMIT_REGISTRATION_WINDOW_SECONDS is not a number", { RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: "1h" }, ["RATE_LIMIT_REGISTRATION_WINDOW_SECONDS"]],
      ["UNSUBSCRIBE_SIGNING_KEY_PREVIOUS is under 32 characters", { UNSUBSCRIBE_SIGNING_KEY_PREVIOUS: "p".repeat(31) }, ["UNSUBSCRIBE_SIGNING_KEY_PREVIOUS"]],
      [
        "the previous key is given both directly and as a secret",
        { UNSUBSCRIBE_SIGNING_KEY_PREVIOUS: "p".repeat(32), UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN: "arn:x" },
        ["UNSUBSCRIBE_SIGNING_KEY_PREVIOUS", "UNSUBSCRIBE_SIGNING_KEY_PREVIOUS_SECRET_ARN"],
      ],
      ["PERSONAL_DATA_RETENTION_DAYS is zero", { PERSONAL_DATA_RETENTION_DAYS: "0" }, ["PERSONAL_DATA_RETENTION_DAYS"]],
    ] as const) {
      it(`when ${what}, then loading fails with a ConfigError naming ${named.join(" and ")}`, () => {
        assertConfigErrorNaming(() => loadApiConfig(apiEnv(overrides)), ...named);
      });
    }

    it("when several variables are wrong, then one error names all of them", () => {
      assertConfigErrorNaming(() => loadApiConfig(apiEnv({ PORT: "x", LOG_LEVEL: "loud", SNS_TOPIC_ARN: undefined })), "PORT", "LOG_LEVEL", "SNS_TOPIC_ARN");
    });
  });

  describe("loadCampaignConfig", () => {
    it("when the required variables are set, then it loads them with the base URL's trailing slash removed", () => {
      const config = loadCampaignConfig(campaignEnv());

      assert.equal(config.senderEmail, "offers@shop.example.com");
      assert.equal(config.publicBaseUrl, "https://api.shop.example.com");
      assert.deepEqual(config.unsubscribeSigningKey, { value: KEY });
    });

    it("when deployed with a configuration set, then it is loaded, and no local certificate is trusted", () => {
      const config = loadCampaignConfig(campaignEnv(CLOUD));

      assert.equal(config.sesConfigurationSet, "ecom-dev");
      assert.equal(config.localSnsCertUrlPrefix, undefined);
    });

    for (const [what, overrides, named] of [
      ["SENDER_EMAIL is missing", { SENDER_EMAIL: undefined }, ["SENDER_EMAIL"]],
      ["SENDER_EMAIL is not an address", { SENDER_EMAIL: "offers" }, ["SENDER_EMAIL"]],
      ["PUBLIC_BASE_URL is missing", { PUBLIC_BASE_URL: undefined }, ["PUBLIC_BASE_URL"]],
      ["PUBLIC_BASE_URL is not http(s)", { PUBLIC_BASE_URL: "ftp://files.example.com" }, ["PUBLIC_BASE_URL"]],
      ["there is no database", { DATABASE_URL: undefined }, ["DATABASE_URL", "DB_HOST"]],
      ["the unsubscribe key is missing", { UNSUBSCRIBE_SIGNING_KEY: undefined }, ["UNSUBSCRIBE_SIGNING_KEY"]],
      ["AWS_REGION is missing in dev", { APP_ENV: "dev" }, ["AWS_REGION"]],
      ["SES_CONFIGURATION_SET is missing in dev (no bounce would ever be reported)", { ...CLOUD, SES_CONFIGURATION_SET: undefined }, ["SES_CONFIGURATION_SET"]],
      ["SES_CONFIGURATION_SET is not a configuration set name", { SES_CONFIGURATION_SET: "ecom dev!" }, ["SES_CONFIGURATION_SET"]],
      ["LOCAL_SNS_CERT_URL_PREFIX is set outside local (a certificate anyone serves would be trusted)", { ...CLOUD, LOCAL_SNS_CERT_URL_PREFIX: "http://127.0.0.1:4100/" }, ["LOCAL_SNS_CERT_URL_PREFIX"]],
      ["LOCAL_SNS_CERT_URL_PREFIX does not end with a slash", { LOCAL_SNS_CERT_URL_PREFIX: "http://127.0.0.1:4100" }, ["LOCAL_SNS_CERT_URL_PREFIX"]],
    ] as const) {
      it(`when ${what}, then loading fails with a ConfigError naming ${named.join(" and ")}`, () => {
        assertConfigErrorNaming(() => loadCampaignConfig(campaignEnv(overrides)), ...named);
      });
    }
  });
});
