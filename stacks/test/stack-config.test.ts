import assert from "node:assert/strict";
import { parseStackConfig, StackConfigError } from "../stack-config";
import { PROJECT, stackConfigFile } from "./support/stack-under-test";

/** dev's committed config with `edit` applied, parsed as the program parses it. */
function parseEdited(edit: (config: Record<string, string>) => void) {
  const raw = stackConfigFile("dev");
  edit(raw);
  return () => parseStackConfig(raw, PROJECT, "Pulumi.dev.yaml");
}

/** Replaces one field of a structured key, e.g. `setField(raw, "api", "cpu", 300)`. */
function setField(raw: Record<string, string>, key: string, field: string, value: unknown) {
  const object = JSON.parse(raw[`${PROJECT}:${key}`]);
  if (value === undefined) delete object[field];
  else object[field] = value;
  raw[`${PROJECT}:${key}`] = JSON.stringify(object);
}

function assertRejected(parse: () => unknown, ...named: string[]) {
  assert.throws(parse, (err: Error) => {
    assert.ok(err instanceof StackConfigError, `expected a StackConfigError, got ${err}`);
    assert.match(err.message, /Pulumi\.dev\.yaml/);
    for (const name of named) assert.ok(err.message.includes(name), `"${err.message}" should name ${name}`);
    return true;
  });
}

describe("stack configuration", () => {
  it("when the committed dev and prod files are read, then both are valid and differ where the environments differ", () => {
    const [dev, prod] = ["dev", "prod"].map((stack) => parseStackConfig(stackConfigFile(stack), PROJECT, `Pulumi.${stack}.yaml`));

    assert.deepEqual(
      [dev, prod].map((c) => ({
        appEnv: c.appEnv,
        nat: c.network.natGateways,
        multiAz: c.database.multiAz,
        protection: c.database.deletionProtection,
        finalSnapshot: c.database.finalSnapshot,
        insights: c.api.containerInsights,
      })),
      [
        { appEnv: "dev", nat: "Single", multiAz: false, protection: false, finalSnapshot: false, insights: false },
        { appEnv: "prod", nat: "OnePerAz", multiAz: true, protection: true, finalSnapshot: true, insights: true },
      ],
    );
    assert.ok(prod.logRetentionDays > dev.logRetentionDays);
    assert.ok(prod.database.backupRetentionDays > dev.database.backupRetentionDays);
    assert.ok(prod.api.minCount >= 2, "prod keeps a task in each zone");
    assert.equal(dev.ecrForceDelete, true);
    assert.equal(prod.ecrForceDelete, false);
    assert.equal(dev.secretRecoveryWindowDays, 0);
  });

  it("when a required key is missing, then the error names it", () => {
    assertRejected(
      parseEdited((raw) => delete raw[`${PROJECT}:logRetentionDays`]),
      `${PROJECT}:logRetentionDays is required`,
    );
  });

  it("when a key is misspelt, then the error names the unknown key", () => {
    assertRejected(
      parseEdited((raw) => (raw[`${PROJECT}:logRetentionDay`] = "7")),
      `${PROJECT}:logRetentionDay is not allowed`,
    );
  });

  it("when a nested field is missing or unknown, then the error names its full path", () => {
    assertRejected(
      parseEdited((raw) => {
        setField(raw, "database", "multiAz", undefined);
        setField(raw, "api", "memory", 512);
      }),
      `${PROJECT}:database.multiAz is required`,
      `${PROJECT}:api.memory is not allowed`,
    );
  });

  it("when values are of the wrong kind or out of range, then each offending key is named", () => {
    assertRejected(
      parseEdited((raw) => {
        raw["aws:region"] = "us-east";
        raw[`${PROJECT}:logRetentionDays`] = "10";
        setField(raw, "network", "natGateways", "Two");
        setField(raw, "database", "deletionProtection", "maybe");
        setField(raw, "campaign", "senderEmail", "not-an-address");
      }),
      "aws:region",
      `${PROJECT}:logRetentionDays must be one of`,
      `${PROJECT}:network.natGateways must be one of [Single, OnePerAz]`,
      `${PROJECT}:database.deletionProtection must be a boolean`,
      `${PROJECT}:campaign.senderEmail must be a valid email`,
    );
  });

  it("when the task memory does not fit the task CPU on Fargate, then the error names the memory and the sizes allowed", () => {
    assertRejected(
      parseEdited((raw) => setField(raw, "api", "memoryMb", 4096)),
      `${PROJECT}:api.memoryMb must be one of [512, 1024, 2048] for cpu 256`,
    );
  });

  it("when the desired task count lies outside the autoscaling bounds, then the error says so", () => {
    assertRejected(
      parseEdited((raw) => setField(raw, "api", "desiredCount", 5)),
      `${PROJECT}:api.desiredCount must lie between minCount and maxCount`,
    );
  });

  it("when prod names no HTTPS certificate and domain, then it is refused: production is served over HTTPS only", () => {
    const raw = stackConfigFile("prod");
    delete raw[`${PROJECT}:https`];

    assert.throws(() => parseStackConfig(raw, PROJECT, "Pulumi.prod.yaml"), /e_com:https is required for appEnv prod \(certificateArn and domainName\)/);
    assert.doesNotThrow(() => parseStackConfig(stackConfigFile("dev"), PROJECT, "Pulumi.dev.yaml"), "dev may stay on plain HTTP");
  });

  it("when the campaign function reserves fewer instances than its queue runs at once, then the error names both settings", () => {
    assertRejected(
      parseEdited((raw) => setField(raw, "campaign", "reservedConcurrency", 1)),
      `${PROJECT}:campaign.reservedConcurrency must be at least campaign.maxConcurrency`,
    );
  });

  it("when the optional settings are left out, then paused, retention, key generation and idle timeout take their defaults", () => {
    const config = parseEdited((raw) => {
      for (const key of ["paused", "personalDataRetentionDays", "unsubscribeKeyGeneration"]) delete raw[`${PROJECT}:${key}`];
      setField(raw, "api", "idleTimeoutSeconds", undefined);
    })();

    assert.deepEqual(
      [config.paused, config.personalDataRetentionDays, config.unsubscribeKeyGeneration, config.api.idleTimeoutSeconds, config.campaign.reservedConcurrency],
      [false, 7, 1, 60, undefined],
    );
  });

  it("when broadcast and sesEvents are left out (a stack file from before broadcasts), then each function runs 2 instances and a broadcast batch has 300 s", () => {
    const config = parseEdited((raw) => {
      delete raw[`${PROJECT}:broadcast`];
      delete raw[`${PROJECT}:sesEvents`];
    })();

    assert.deepEqual([config.broadcast, config.sesEvents], [{ maxConcurrency: 2, timeoutSeconds: 300 }, { maxConcurrency: 2 }]);
  });

  it("when the broadcast or SES events settings are out of Lambda's ranges, then each offending key is named", () => {
    assertRejected(
      parseEdited((raw) => {
        raw[`${PROJECT}:broadcast`] = JSON.stringify({ maxConcurrency: 1, timeoutSeconds: 901 });
        raw[`${PROJECT}:sesEvents`] = JSON.stringify({ maxConcurrency: 2, batchSize: 5 });
      }),
      `${PROJECT}:broadcast.maxConcurrency must be greater than or equal to 2`,
      `${PROJECT}:broadcast.timeoutSeconds must be less than or equal to 900`,
      `${PROJECT}:sesEvents.batchSize is not allowed`,
    );
  });

  it("when a committed stack runs its three queues' functions at full concurrency, then they fit a new account's 10 concurrent executions", () => {
    for (const stack of ["dev", "prod"]) {
      const config = parseStackConfig(stackConfigFile(stack), PROJECT, `Pulumi.${stack}.yaml`);

      assert.ok(config.campaign.maxConcurrency + config.broadcast.maxConcurrency + config.sesEvents.maxConcurrency <= 10, stack);
    }
  });

  it("when the HTTPS settings name a malformed hosted zone, then the error names it", () => {
    assertRejected(
      parseEdited((raw) => (raw[`${PROJECT}:https`] = JSON.stringify({ certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", domainName: "api.example.com", hostedZoneId: "example.com" }))),
      `${PROJECT}:https.hostedZoneId`,
    );
  });

  it("when HTTPS is configured without a certificate ARN, then the error names the certificate", () => {
    assertRejected(
      parseEdited((raw) => (raw[`${PROJECT}:https`] = JSON.stringify({ domainName: "api.example.com" }))),
      `${PROJECT}:https.certificateArn is required`,
    );
  });
});
