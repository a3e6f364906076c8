/**
 * The roles CI deploys the environments with, assumed through GitHub's OIDC provider: no AWS keys
 * are stored in GitHub. Each role trusts only the jobs of one repository that run in the GitHub
 * environment of its name, and may do what deploying that environment takes (deploy-permissions.ts).
 * Roles and policies live under DEPLOY_ROLE_PATH, out of reach of the roles they create.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_ROLE_PATH, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from "../stacks/policy/deploy-role-actions";
import { deployPermissions, PERMISSION_GROUPS } from "./deploy-permissions";

/** Three hours: a first prod `up` (Multi-AZ database, image build) with room to spare. */
export const DEPLOY_SESSION_SECONDS = 3 * 3600;

export interface DeployRolesArgs {
  /** `owner/name` of the GitHub repository whose workflows deploy. */
  repository: string;
  /** The account's GitHub OIDC provider, when it exists already (an account holds one per issuer). */
  oidcProviderArn?: string;
  /** One role per environment, each trusted by the GitHub environment of the same name. */
  environments: readonly string[];
  /** The region the environments are deployed to. */
  region: string;
}

export class DeployRoles extends pulumi.ComponentResource {
  /** Role ARN by environment. */
  readonly roleArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: DeployRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:account:DeployRoles", name, {}, opts);

    const providerArn = args.oidcProviderArn
      ? pulumi.output(args.oidcProviderArn)
      : new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE] }, { parent: this })
          .arn;
    // A role trusts only a provider of its own account: the provider's ARN names the account (and partition).
    const account = providerArn.apply((arn) => ({ partition: arn.split(":")[1], accountId: arn.split(":")[4] }));

    this.roleArns = Object.fromEntries(
      args.environments.map((environment) => {
        const roleName = `${name}-${environment}`;
        const role = new aws.iam.Role(
          roleName,
          {
            path: DEPLOY_ROLE_PATH,
            description: `Deploys the ${environment} stack from GitHub Actions (${args.repository}, environment ${environment})`,
            maxSessionDuration: DEPLOY_SESSION_SECONDS,
            assumeRolePolicy: pulumi.jsonStringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: providerArn },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: {
                    StringEquals: {
                      [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
                      [`${GITHUB_OIDC_HOST}:sub`]: `repo:${args.repository}:environment:${environment}`,
                    },
                  },
                },
              ],
            }),
          },
          { parent: this },
        );
        const statements = account.apply((a) => deployPermissions({ environment, region: args.region, ...a }));
        const attachments = PERMISSION_GROUPS.map((group) => {
          const policy = new aws.iam.Policy(
            `${roleName}-${group}`,
            {
              path: DEPLOY_ROLE_PATH,
              description: `What deploying the ${environment} stack takes: ${group}`,
              policy: statements.apply((groups) => JSON.stringify({ Version: "2012-10-17", Statement: groups[group] })),
            },
            { parent: this },
          );
          return new aws.iam.RolePolicyAttachment(`${roleName}-${group}`, { role: role.name, policyArn: policy.arn }, { parent: this });
        });
        // Known once every policy is attached: a job that assumes the role has all of its permissions.
        return [environment, pulumi.all([role.arn, ...attachments.map((a) => a.id)]).apply(([arn]) => arn)];
      }),
    );
    this.registerOutputs({ roleArns: this.roleArns });
  }
}
