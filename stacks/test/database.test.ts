import assert from "node:assert/strict";
import { MOCK_PRIVATE_SUBNETS } from "./support/recording-mocks";
import { committedStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const INSTANCE = "aws:rds/instance:Instance";

for (const stack of STACKS) {
  describe(`database of the ${stack} stack`, () => {
    let s: StackUnderTest;
    let db: Record<string, unknown>;
    before(async () => {
      s = await committedStack(stack);
      db = s.one(INSTANCE).inputs;
    });

    it("when the stack is built, then PostgreSQL runs in the private subnets, not publicly accessible, behind its own security group", () => {
      assert.equal(db.engine, "postgres");
      assert.equal(db.publiclyAccessible, false);
      assert.deepEqual(s.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, MOCK_PRIVATE_SUBNETS);
      assert.equal(db.dbSubnetGroupName, s.one("aws:rds/subnetGroup:SubnetGroup").state.name);
      assert.deepEqual(db.vpcSecurityGroupIds, [s.one("aws:ec2/securityGroup:SecurityGroup", "-sg-database").id]);
    });

    it("when the stack is built, then storage is encrypted and connections without TLS are refused", () => {
      assert.equal(db.storageEncrypted, true);
      const parameters = s.one("aws:rds/parameterGroup:ParameterGroup");
      assert.equal(db.parameterGroupName, parameters.state.name);
      assert.deepEqual(parameters.inputs.parameters, [{ name: "rds.force_ssl", value: "1" }]);
      assert.equal(parameters.inputs.family, `postgres${s.config.database.engineVersion.split(".")[0]}`);
    });

    it("when the stack is built, then IAM database authentication is on, so the services log in as their own roles with tokens", () => {
      assert.equal(db.iamDatabaseAuthenticationEnabled, true);
    });

    it("when the stack is built, then RDS manages the master password in Secrets Manager and the program never sees it", () => {
      assert.equal(db.manageMasterUserPassword, true);
      assert.equal(db.password, undefined);
    });

    it("when the stack is built, then size, Multi-AZ and backups come from the stack config", () => {
      const c = s.config.database;
      assert.deepEqual(
        [db.instanceClass, db.allocatedStorage, db.maxAllocatedStorage, db.multiAz, db.backupRetentionPeriod],
        [c.instanceClass, c.allocatedStorageGb, c.maxAllocatedStorageGb, c.multiAz, c.backupRetentionDays],
      );
      assert.ok((db.backupRetentionPeriod as number) >= 1, "automated backups are on");
      assert.equal(db.multiAz, stack === "prod");
    });

    it("when the stack is built, then deletion protection and the final snapshot follow the stack (dev destroys quickly, prod keeps a snapshot)", () => {
      const expected = { dev: { protection: false, skipFinalSnapshot: true }, prod: { protection: true, skipFinalSnapshot: false } }[stack];

      assert.deepEqual({ protection: db.deletionProtection, skipFinalSnapshot: db.skipFinalSnapshot }, expected);
      assert.match(db.finalSnapshotIdentifier as string, /^[a-z][a-z0-9-]*-final-[0-9a-f]{8}$/);
    });
  });
}
