import assert from "node:assert/strict";
import { asPulumiSecret, generatedValueOf } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

/** Each generated key: the random value's resource and the secret keeping it (logical name suffixes). */
const GENERATED_KEYS = [
  { key: "admin-api-key", value: "-admin-api-key-value", secret: "-admin-api-key" },
  { key: "unsubscribe-signing-key", value: "-unsubscribe-signing-key-generation-1", secret: "-unsubscribe-signing-key-current" },
];

for (const stack of STACKS) {
  describe(`secrets and outputs of the ${stack} stack`, () => {
    let s: StackUnderTest;
    const keyResources = ({ value, secret }: (typeof GENERATED_KEYS)[number]) => ({
      password: s.one("random:index/randomPassword:RandomPassword", value),
      secret: s.one("aws:secretsmanager/secret:Secret", secret),
      version: s.one("aws:secretsmanager/secretVersion:SecretVersion", `${secret}-version`),
    });
    before(async () => {
      s = await committedStack(stack);
    });

    it("when the stack is built, then the admin API key and the unsubscribe signing key are generated (letters and digits, at least 32) into Secrets Manager", () => {
      for (const key of GENERATED_KEYS) {
        const { password, secret, version } = keyResources(key);

        assert.ok(password.inputs.length >= 32, `${key.key} is long enough for the API's checks`);
        assert.equal(password.inputs.special, false);
        assert.deepEqual(version.inputs, { secretId: secret.id, secretString: asPulumiSecret(password.state.result) });
        assert.equal(secret.inputs.recoveryWindowInDays, s.config.secretRecoveryWindowDays);
      }
      assert.equal(s.ofType("aws:secretsmanager/secret:Secret").length, 2, "no previous unsubscribe key before the first rotation");
    });

    it("when the stack is built, then a generated value appears in no resource but its secret's version: not in a task definition, function or config", () => {
      for (const key of GENERATED_KEYS) {
        const value = generatedValueOf(keyResources(key).password.name);
        const holders = s.resources.filter((r) => JSON.stringify(r.inputs).includes(value)).map((r) => r.type);

        assert.deepEqual(holders, ["aws:secretsmanager/secretVersion:SecretVersion"]);
      }
    });

    it("when the stack is built, then its outputs say where things are, that it runs, whether it serves HTTPS, and hold no secret value", () => {
      const alb = s.one("aws:lb/loadBalancer:LoadBalancer").state;
      const apiUrl = s.config.https ? `https://${s.config.https.domainName}` : `http://${alb.dnsName}`;
      const queue = (suffix: string) => s.one("aws:sqs/queue:Queue", suffix).state.url;

      assert.deepEqual(s.outputs, {
        paused: false,
        servesHttps: { dev: false, prod: true }[stack],
        apiUrl,
        swaggerUiUrl: `${apiUrl}/docs`,
        loadBalancerDnsName: alb.dnsName,
        ecrRepositoryUrl: s.one("aws:ecr/repository:Repository").state.repositoryUrl,
        databaseEndpoint: s.one("aws:rds/instance:Instance").state.endpoint,
        topicArn: s.one("aws:sns/topic:Topic", "-events-topic").state.arn,
        welcomeQueueUrl: queue("-welcome-queue"),
        deadLetterQueueUrl: queue("-dlq"),
        campaignFunctionName: s.one("aws:lambda/function:Function", "-campaign-fn").state.name,
        broadcastQueueUrl: queue("-broadcast-queue"),
        broadcastDeadLetterQueueUrl: queue("-broadcast-dead-letters"),
        broadcastFunctionName: s.one("aws:lambda/function:Function", "-broadcast-fn").state.name,
        sesEventsQueueUrl: queue("-ses-events-queue"),
        sesEventsDeadLetterQueueUrl: queue("-ses-events-dead-letters"),
        sesEventsFunctionName: s.one("aws:lambda/function:Function", "-ses-events-fn").state.name,
        sesConfigurationSet: `ecom-${stack}-emails`,
        migratorFunctionName: s.one("aws:lambda/function:Function", "-migrator-fn").state.name,
        adminApiKeySecretArn: s.one("aws:secretsmanager/secret:Secret", "-admin-api-key").state.arn,
        dashboardUrl: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/ecom-${stack}-dashboard`,
      });
      for (const key of GENERATED_KEYS) assert.ok(!JSON.stringify(s.outputs).includes(generatedValueOf(keyResources(key).password.name)));
    });
  });
}
