import assert from "node:assert/strict";
import path from "node:path";
import { securityPolicies } from "../policy/security-policies";
import { policyNamed, violations } from "./support/policy-check";
import { committedStack, pausedStack, prodWithOptions, STACKS } from "./support/stack-under-test";

const RDS = "aws:rds/instance:Instance";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** The repository's root, which holds the Dockerfile; stacks/ does not. */
const ROOT = path.resolve(__dirname, "..", "..");
const compliantDatabase = { publiclyAccessible: false, storageEncrypted: true, manageMasterUserPassword: true, backupRetentionPeriod: 7, iamDatabaseAuthenticationEnabled: true };
const MASTER_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf";
const document = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const githubTrust = (subject: string) => ({
  Effect: "Allow",
  Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": subject } },
});

/** [policy, resource type, compliant inputs, non-compliant inputs, what the violation says] */
const CASES: [string, string, object, object, RegExp][] = [
  ["rds-not-public", RDS, compliantDatabase, { ...compliantDatabase, publiclyAccessible: true }, /publiclyAccessible must be false/],
  ["rds-storage-encrypted", RDS, compliantDatabase, { ...compliantDatabase, storageEncrypted: false }, /storageEncrypted/],
  ["rds-password-managed-by-rds", RDS, compliantDatabase, { ...compliantDatabase, manageMasterUserPassword: false, password: "hunter2" }, /password must not be set/],
  ["rds-automated-backups", RDS, compliantDatabase, { ...compliantDatabase, backupRetentionPeriod: 0 }, /backupRetentionPeriod/],
  ["rds-iam-authentication", RDS, compliantDatabase, { ...compliantDatabase, iamDatabaseAuthenticationEnabled: false }, /iamDatabaseAuthenticationEnabled must be true/],
  [
    "database-master-secret-migrations-only",
    ROLE_POLICY,
    {
      policy: document(
        { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [MASTER_SECRET] },
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: ["arn:aws:logs:us-east-1:1:log-group:/aws/lambda/m:log-stream:*"] },
      ),
    },
    {
      policy: document(
        { Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:aws:sns:us-east-1:1:t"] },
        { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [MASTER_SECRET, "arn:aws:secretsmanager:us-east-1:1:secret:admin-key"] },
      ),
    },
    /reads the database's master secret and may also sns:Publish, secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:1:secret:admin-key/,
  ],
  [
    "database-master-secret-migrations-only",
    "aws:ecs/taskDefinition:TaskDefinition",
    { containerDefinitions: JSON.stringify([{ environment: [{ name: "DB_USER", value: "ecom_api" }, { name: "DB_IAM_AUTH", value: "true" }] }]) },
    { containerDefinitions: JSON.stringify([{ environment: [{ name: "DB_SECRET_ARN", value: MASTER_SECRET }] }]) },
    /DB_SECRET_ARN names the database's master secret/,
  ],
  [
    "internet-ingress-web-only",
    INGRESS_RULE,
    { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
    { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
    /tcp 22-22 from 0\.0\.0\.0\/0 opens more than HTTP\/HTTPS/,
  ],
  [
    "internet-ingress-web-only",
    "aws:ec2/securityGroup:SecurityGroup",
    { ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }] },
    { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] },
    /-1 0-65535 from ::\/0/,
  ],
  [
    "database-ingress-from-security-groups-only",
    INGRESS_RULE,
    { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-api" },
    { ipProtocol: "tcp", fromPort: 5000, toPort: 6000, cidrIpv4: "10.0.0.0/8" },
    /reaches port 5432/,
  ],
  [
    "database-ingress-from-security-groups-only",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] },
    { type: "ingress", protocol: "all", cidrBlocks: ["10.0.0.0/16"] },
    /all 0-65535 from 10\.0\.0\.0\/16/,
  ],
  [
    "ecs-tasks-without-public-ip",
    "aws:ecs/service:Service",
    { networkConfiguration: { subnets: ["subnet-a"], assignPublicIp: false } },
    { networkConfiguration: { subnets: ["subnet-a"], assignPublicIp: true } },
    /assignPublicIp/,
  ],
  [
    "iam-least-privilege",
    ROLE_POLICY,
    { policy: document({ Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:aws:sns:us-east-1:1:t"] }, { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }) },
    { policy: document({ Effect: "Allow", Action: ["sns:Publish", "ecr:GetAuthorizationToken"], Resource: "*" }) },
    /^sns:Publish on "\*"/,
  ],
  [
    "iam-least-privilege",
    "aws:iam/policy:Policy",
    { policy: document({ Effect: "Deny", Action: "*", Resource: "*" }) },
    { policy: document({ Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::bucket"] }) },
    /wildcard action in s3:\*/,
  ],
  [
    "no-broad-managed-policies",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    { policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" },
    { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    /AdministratorAccess grants far more/,
  ],
  [
    "deploy-role-trust-pinned",
    "aws:iam/role:Role",
    { path: "/ecom-deploy/", assumeRolePolicy: document(githubTrust("repo:acme/e_com:environment:dev")) },
    { path: "/ecom-deploy/", assumeRolePolicy: document(githubTrust("repo:acme/e_com:*")) },
    /:sub must be one repo:<owner>\/<repo>:environment:<name>/,
  ],
  [
    "deploy-role-least-privilege",
    "aws:iam/policy:Policy",
    { path: "/ecom-deploy/", policy: document({ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }) },
    { path: "/ecom-deploy/", policy: document({ Effect: "Allow", Action: ["iam:CreateRole"], Resource: "arn:aws:iam::123456789012:role/*" }) },
    /name roles by a prefix/,
  ],
  ["sns-topic-encrypted", "aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }, {}, /kmsMasterKeyId/],
  ["sqs-queue-encrypted", "aws:sqs/queue:Queue", { sqsManagedSseEnabled: true }, { sqsManagedSseEnabled: false }, /sqsManagedSseEnabled/],
  ["log-groups-expire", "aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 7 }, { retentionInDays: 0 }, /retentionInDays/],
  ["kms-keys-rotate", "aws:kms/key:Key", { enableKeyRotation: true }, { description: "no rotation" }, /enableKeyRotation must be true/],
  [
    "resource-policies-name-their-source",
    "aws:sns/topicPolicy:TopicPolicy",
    { policy: document({ Effect: "Allow", Principal: { Service: "ses.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:1:t", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }) },
    { policy: document({ Effect: "Allow", Principal: { Service: "ses.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:1:t" }) },
    /lets ses\.amazonaws\.com in for any account/,
  ],
  [
    "ses-reputation-metrics",
    "aws:sesv2/configurationSet:ConfigurationSet",
    { configurationSetName: "ecom-dev-emails", reputationOptions: { reputationMetricsEnabled: true } },
    { configurationSetName: "ecom-dev-emails" },
    /reputation metrics must be enabled/,
  ],
  [
    "no-plaintext-secrets-in-environment",
    "aws:ecs/taskDefinition:TaskDefinition",
    { containerDefinitions: JSON.stringify([{ environment: [{ name: "ADMIN_API_KEY_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:1:secret:k" }] }]) },
    { containerDefinitions: JSON.stringify([{ environment: [{ name: "ADMIN_API_KEY", value: "letmein-letmein-letmein-letmein" }] }]) },
    /ADMIN_API_KEY holds a secret value/,
  ],
  [
    "no-plaintext-secrets-in-environment",
    "aws:lambda/function:Function",
    { environment: { variables: { DB_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:1:secret:db", PUBLIC_BASE_URL: "https://api.example.com" } } },
    { environment: { variables: { DATABASE_URL: "postgres://admin:s3cret@db.internal:5432/ecom" } } },
    /DATABASE_URL holds a secret value/,
  ],
  [
    "image-build-context-absolute",
    "awsx:ecr:Image",
    { repositoryUrl: "r", context: ROOT, dockerfile: path.join(ROOT, "Dockerfile") },
    { repositoryUrl: "r", context: "." },
    /build context "\." is relative to the folder the engine runs the program in/,
  ],
  [
    "image-build-context-absolute",
    "docker-build:index:Image",
    { context: { location: ROOT } },
    { context: { location: path.join(ROOT, "stacks") } },
    /there is no Dockerfile at .*stacks\/Dockerfile/,
  ],
  [
    "image-build-context-absolute",
    "awsx:ecr:Image",
    { repositoryUrl: "r", context: ROOT },
    { repositoryUrl: "r", context: ROOT, dockerfile: "Dockerfile" },
    /dockerfile "Dockerfile" is relative/,
  ],
];

describe("policy pack rules", () => {
  for (const [name, type, compliant, violating, message] of CASES) {
    it(`when ${type} inputs break ${name}, then it is reported; when they comply, then nothing is`, async () => {
      const policy = policyNamed(name);

      assert.deepEqual(await violations(policy, type, compliant), []);
      const reported = await violations(policy, type, violating);
      assert.ok(reported.length > 0, "a violation is reported");
      assert.ok(reported.some((m) => message.test(m)), `one of ${JSON.stringify(reported)} matches ${message}`);
    });
  }

  it("when a resource of a type a rule does not cover is checked, then that rule reports nothing", async () => {
    for (const policy of securityPolicies) {
      assert.deepEqual(await violations(policy, "aws:s3/bucket:Bucket", { acl: "public-read" }), [], policy.name);
    }
  });

  it("when the pack is listed, then every rule is mandatory and has a case above", () => {
    for (const policy of securityPolicies) {
      assert.equal(policy.enforcementLevel, "mandatory", policy.name);
      assert.ok(CASES.some(([name]) => name === policy.name), `${policy.name} is tested`);
    }
  });
});

describe("policy pack on the stacks", () => {
  for (const [label, build] of [
    ...STACKS.map((stack) => [stack, () => committedStack(stack)] as const),
    ["prod with every option", prodWithOptions] as const,
    ["paused dev", () => pausedStack("dev")] as const,
  ]) {
    it(`when every resource of the ${label} stack is checked, then no rule is violated`, async () => {
      const s = await build();
      const reported: string[] = [];
      for (const resource of s.resources) {
        for (const policy of securityPolicies) {
          for (const message of await violations(policy, resource.type, resource.inputs)) reported.push(`${resource.name} (${policy.name}): ${message}`);
        }
      }

      assert.deepEqual(reported, []);
    });
  }
});
