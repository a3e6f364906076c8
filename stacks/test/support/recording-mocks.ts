/**
 * Pulumi mocks standing in for the AWS, awsx and random providers and for the account stack, which
 * cannot run here: each resource is recorded with its inputs and answered with the ids, ARNs and
 * attributes AWS would return, so inputs built from them are real values in the recording instead
 * of dropped undefineds. A StackReference is answered with the account stack's outputs, as the
 * engine answers it from that stack's state.
 */
import * as pulumi from "@pulumi/pulumi";
import { Props } from "../../policy/resource-policy";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";
export const MOCK_PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b"];
export const MOCK_PUBLIC_SUBNETS = ["subnet-public-a", "subnet-public-b"];
export const MOCK_DEFAULT_SECURITY_GROUP = "sg-vpc-default";
/** The database instance's `DbiResourceId`, what `rds-db:connect` ARNs name it by. */
export const MOCK_DBI_RESOURCE_ID = "db-ABCDEFGHIJKLMNOPQRSTUVWXY0";

/** The account stack's outputs (account/), as a deployed account stack with a domain identity holds them. */
export const MOCK_ACCOUNT_STACK = {
  senderIdentity: "example.com",
  senderIdentityArn: `arn:aws:ses:${MOCK_REGION}:${MOCK_ACCOUNT}:identity/example.com`,
  sandboxRecipientIdentityArns: [`arn:aws:ses:${MOCK_REGION}:${MOCK_ACCOUNT}:identity/tester@example.org`],
  deployRoleArns: { dev: `arn:aws:iam::${MOCK_ACCOUNT}:role/ecom-deploy-dev`, prod: `arn:aws:iam::${MOCK_ACCOUNT}:role/ecom-deploy-prod` },
  dkimRecords: [],
};
export type AccountStackOutputs = Record<string, unknown>;

export interface RecordedResource {
  type: string;
  /** The logical (Pulumi) name. */
  name: string;
  /** The id the mock gave it (what `resource.id` resolves to). */
  id: string;
  inputs: Props;
  /** What the mock answered: the inputs plus the attributes AWS computes. */
  state: Props;
}

/** The value the mocked `random.RandomPassword` named `name` generates. */
export const generatedValueOf = (name: string) => `GeneratedValue${name.replace(/[^a-zA-Z0-9]/g, "")}`;

/** A value as the engine receives a Pulumi secret: encrypted in the state, masked in previews. */
export const asPulumiSecret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

export function recordingMocks(recorded: RecordedResource[], accountStack: AccountStackOutputs = MOCK_ACCOUNT_STACK): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const id = `${args.name}-id`;
      const attributes =
        args.type === "pulumi:pulumi:StackReference" ? { outputs: accountStack, secretOutputNames: [] } : attributesOf(args.type, args.name, args.inputs);
      const state = { ...args.inputs, ...attributes };
      recorded.push({ type: args.type, name: args.name, id, inputs: args.inputs, state });
      return { id, state };
    },
    call(args) {
      throw new Error(`the program made an unexpected provider call: ${args.token}`);
    },
  };
}

function attributesOf(type: string, name: string, inputs: Props): Props {
  const physicalName = inputs.name ?? `${name}-0a1b2c3`;
  const service = type.split(/[:/]/)[1];
  const generic = { name: physicalName, arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${type.split(":")[2]}/${physicalName}` };
  switch (type) {
    case "awsx:ec2:Vpc":
      return {
        vpcId: `vpc-${name}`,
        publicSubnetIds: MOCK_PUBLIC_SUBNETS,
        privateSubnetIds: MOCK_PRIVATE_SUBNETS,
        vpc: { defaultSecurityGroupId: MOCK_DEFAULT_SECURITY_GROUP },
        routes: [],
      };
    case "aws:rds/instance:Instance": {
      const address = `${physicalName}.cmock.${MOCK_REGION}.rds.amazonaws.com`;
      const secretArn = `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT}:secret:rds!db-${physicalName}`;
      return {
        ...generic,
        arn: `arn:aws:rds:${MOCK_REGION}:${MOCK_ACCOUNT}:db:${physicalName}`,
        resourceId: MOCK_DBI_RESOURCE_ID,
        identifier: physicalName,
        address,
        endpoint: `${address}:${inputs.port}`,
        masterUserSecrets: [{ secretArn, secretStatus: "active" }],
      };
    }
    case "aws:ecr/repository:Repository":
      return { ...generic, repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${physicalName}` };
    case "awsx:ecr:Image":
      return { imageUri: `${inputs.repositoryUrl}@sha256:${"ab".repeat(32)}` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        ...generic,
        arnSuffix: `app/${physicalName}/50dc6c495c0c9188`,
        dnsName: `${physicalName}-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      };
    case "aws:sqs/queue:Queue":
      return { ...generic, url: `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${physicalName}` };
    case "aws:sns/topic:Topic":
      return { ...generic, arn: `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:${physicalName}` };
    case "aws:sesv2/configurationSet:ConfigurationSet":
      return { arn: `arn:aws:ses:${MOCK_REGION}:${MOCK_ACCOUNT}:configuration-set/${inputs.configurationSetName}` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT}:key/${name}-0a1b2c3d`, keyId: `${name}-0a1b2c3d` };
    case "random:index/randomPassword:RandomPassword":
      return { result: generatedValueOf(name) };
    case "random:index/randomId:RandomId":
      return { hex: "0a1b2c3d" };
    default:
      return generic;
  }
}
