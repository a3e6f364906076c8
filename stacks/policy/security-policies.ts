/** Every rule of the pack, in one list (the pack's entry point and its tests both take it from here). */
import { dataPolicies } from "./data-policies";
import { databasePolicies } from "./database-policies";
import { deployRolePolicies, exceptDeployRoles } from "./deploy-role-policies";
import { emailPolicies } from "./email-policies";
import { iamPolicies } from "./iam-policies";
import { imageBuildPolicies } from "./image-build-policies";
import { networkPolicies } from "./network-policies";
import { resourceAccessPolicies } from "./resource-access-policies";

export const securityPolicies = [
  ...databasePolicies,
  ...networkPolicies,
  ...exceptDeployRoles(iamPolicies),
  ...deployRolePolicies,
  ...resourceAccessPolicies,
  ...dataPolicies,
  ...imageBuildPolicies,
  ...emailPolicies,
];
