import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { schemaDigest, schemaFiles } from "../../api/migrator-bundle";
import { MOCK_DEFAULT_SECURITY_GROUP, MOCK_PRIVATE_SUBNETS, RecordedResource } from "./support/recording-mocks";
import { committedStack, pausedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const FUNCTION = "aws:lambda/function:Function";
const INVOCATION = "aws:lambda/invocation:Invocation";
const ROOT = path.resolve(__dirname, "..", "..");

for (const stack of STACKS) {
  describe(`the migrator function of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let fn: RecordedResource;
    before(async () => {
      s = await committedStack(stack);
      fn = s.one(FUNCTION, "-migrator-fn");
    });

    it("when the stack is built, then the migrator runs its bundled handler on Node.js in the private subnets, behind its own security group", () => {
      assert.equal(fn.inputs.runtime, "nodejs22.x");
      assert.equal(fn.inputs.handler, "index.handler");
      assert.deepEqual(fn.inputs.vpcConfig, { subnetIds: MOCK_PRIVATE_SUBNETS, securityGroupIds: [s.one("aws:ec2/securityGroup:SecurityGroup", "-sg-migrator").id] });
      assert.deepEqual(fn.inputs.replacementSecurityGroupIds, [MOCK_DEFAULT_SECURITY_GROUP]);
      assert.equal(fn.inputs.role, s.one("aws:iam/role:Role", "-migrator-role").state.arn);
      assert.ok(fn.inputs.timeout >= 300, "time for a migration that rewrites a table");
    });

    it("when the stack is built, then the migrator connects as the database's owner with the RDS master secret, over verified TLS", () => {
      const database = s.one("aws:rds/instance:Instance").state;

      assert.deepEqual(fn.inputs.environment.variables, {
        APP_ENV: stack,
        LOG_LEVEL: s.config.logLevel,
        DB_HOST: database.address,
        DB_PORT: "5432",
        DB_NAME: "ecom",
        DB_SECRET_ARN: database.masterUserSecrets[0].secretArn,
        DB_SSL: "verify",
        DB_POOL_MAX: "2",
        NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
      });
    });

    it("when the stack is deployed, then pulumi up invokes the migrator, again whenever a migration or the grants change", async () => {
      const run = s.one(INVOCATION, "-migrator-run").inputs;

      assert.equal(run.functionName, fn.state.name);
      assert.deepEqual(run.triggers, { schema: await schemaDigest() });
      assert.equal(run.lifecycleScope, undefined, "invoked on create and replacement only");
    });

    it("when the API's service and the campaign function are declared, then after the migration run: new code never meets an old schema", () => {
      const position = (type: string, suffix = "") => s.resources.findIndex((r) => r.type === type && r.name.endsWith(suffix));
      const run = position(INVOCATION, "-migrator-run");

      assert.ok(run >= 0);
      for (const [type, suffix] of [
        ["aws:ecs/taskDefinition:TaskDefinition", "-api-task"],
        ["aws:ecs/service:Service", "-api-service"],
        [FUNCTION, "-campaign-fn"],
        ["aws:lambda/eventSourceMapping:EventSourceMapping", "-campaign-queue-mapping"],
      ]) {
        assert.ok(position(type, suffix) > run, `${suffix} is registered after the migration run`);
      }
    });
  });
}

describe("the migrator's deploy trigger", () => {
  it("when the digest is taken, then it covers every migration file and the roles' grants", async () => {
    const files = (await schemaFiles()).map((file) => path.relative(ROOT, file));
    const migrations = (await readdir(path.join(ROOT, "api", "migrations"))).map((file) => `api/migrations/${file}`);

    for (const migration of migrations) assert.ok(files.includes(migration), migration);
    assert.ok(files.includes("api/src/database-roles/role-grants.ts"));
    assert.ok(files.includes("shared/src/database-roles.ts"));
  });
});

describe("the migrator function of a paused stack", () => {
  it("when the stack is paused, then nothing invokes the migrator (nothing runs), and the function keeps its inputs for the resume", async () => {
    const running = await committedStack("dev");
    const paused = await pausedStack("dev");

    assert.deepEqual(paused.ofType(INVOCATION), []);
    assert.deepEqual(paused.one(FUNCTION, "-migrator-fn").inputs, running.one(FUNCTION, "-migrator-fn").inputs);
  });
});
