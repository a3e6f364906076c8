import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { generatedValueOf } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const GENERATED_KEYS = ["admin-api-key", "unsubscribe-signing-key"];

for (const stack of STACKS) {
  describe(`secrets and outputs of the ${stack} stack`, () => {
    let s: StackUnderTest;
    const keyResources = (key: string) => ({
      password: s.one("random:index/randomPassword:RandomPassword", `-${key}-value`),
      secret: s.one("aws:secretsmanager/secret:Secret", `-${key}`),
      version: s.one("aws:secretsmanager/secretVersion:SecretVersion", `-${key}-version`),
    });
    before(async () => {
      s = await committedStack(stack);
    });

    it("when the stack is built, then the admin API key and the unsubscribe signing key are generated (letters and digits, at least 32) into Secrets Manager", () => {
      for (const key of GENERATED_KEYS) {
        const { password, secret, version } = keyResources(key);

        assert.ok(password.inputs.length >= 32, `${key} is long enough for the API's checks`);
        assert.equal(password.inputs.special, false);
        // A Pulumi secret: encrypted in the state, masked in previews.
        const asPulumiSecret = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: password.state.result };
        assert.deepEqual(version.inputs, { secretId: secret.id, secretString: asPulumiSecret });
        assert.equal(secret.inputs.recoveryWindowInDays, s.config.secretRecoveryWindowDays);
      }
    });

    it("when the stack is built, then a generated value appears in no resource but its secret's version: not in a task definition, function or config", () => {
      for (const key of GENERATED_KEYS) {
        const value = generatedValueOf(keyResources(key).password.name);
        const holders = s.resources.filter((r) => JSON.stringify(r.inputs).includes(value)).map((r) => r.type);

        assert.deepEqual(holders, ["aws:secretsmanager/secretVersion:SecretVersion"]);
      }
    });

    it("when the stack is built, then its outputs say where things are and hold no secret value", () => {
      const alb = s.one("aws:lb/loadBalancer:LoadBalancer").state;

      assert.deepEqual(s.outputs, {
        apiUrl: `http://${alb.dnsName}`,
        swaggerUiUrl: `http://${alb.dnsName}/docs`,
        ecrRepositoryUrl: s.one("aws:ecr/repository:Repository").state.repositoryUrl,
        databaseEndpoint: s.one("aws:rds/instance:Instance").state.endpoint,
        topicArn: s.one("aws:sns/topic:Topic").state.arn,
        campaignFunctionName: s.one("aws:lambda/function:Function").state.name,
        deadLetterQueueUrl: s.one("aws:sqs/queue:Queue").state.url,
        adminApiKeySecretArn: s.one("aws:secretsmanager/secret:Secret", "-admin-api-key").state.arn,
      });
      for (const key of GENERATED_KEYS) assert.ok(!JSON.stringify(s.outputs).includes(generatedValueOf(keyResources(key).password.name)));
    });
  });
}
