/**
 * e_com's CrossGuard policy pack: the security rules the stacks are built to, checked on the real
 * resource inputs of every `pulumi preview --policy-pack stacks/policy` and `pulumi up`.
 */
import { PolicyPack } from "@pulumi/policy";
import { securityPolicies } from "./security-policies";

new PolicyPack("ecom-security", { policies: securityPolicies, enforcementLevel: "mandatory" });
