/**
 * The one place that reads the account stack's configuration (`Pulumi.main.yaml`), checked once
 * before any resource is declared: a missing, misspelt or invalid key stops the program with a
 * message naming it.
 */
import * as pulumi from "@pulumi/pulumi";
import Joi from "joi";
import { AWS_PROVIDER_CONFIG, email, validatePulumiConfig } from "../stacks/stack-config";
import type { Sender } from "./sender-identity";

export interface AccountConfig {
  region: string;
  sender: Sender;
  /** Addresses verified as SES identities, so that a sandboxed account can send to them. */
  sandboxRecipients: string[];
  github: {
    /** `owner/name`, as GitHub spells it: the deploy roles trust this repository's environments only. */
    repository: string;
    /** The account's existing GitHub OIDC provider; absent, the stack creates it. */
    oidcProviderArn?: string;
  };
  /** The SNS topic (e.g. the on-call team's) the SES reputation alarms notify; none: the console only. */
  alarmTopicArn?: string;
}

function schema(project: string): Joi.ObjectSchema {
  const key = (name: string) => `${project}:${name}`;
  return Joi.object({
    ...AWS_PROVIDER_CONFIG,
    [key("sender")]: Joi.object({
      domain: Joi.string().domain({ tlds: { allow: false } }),
      // A subdomain of `domain` that bounces are returned to, instead of amazonses.com.
      mailFromSubdomain: Joi.string().hostname().pattern(/^[a-z0-9-]+$/i, "one DNS label like mail"),
      email,
    })
      .xor("domain", "email")
      .with("mailFromSubdomain", "domain")
      .messages({ "object.with": "{{#label}}.{{#main}} is a subdomain of {{#label}}.{{#peer}}, which is missing" })
      .required(),
    [key("sandboxRecipients")]: Joi.array().items(email).unique().default([]),
    [key("github")]: Joi.object({
      repository: Joi.string().pattern(/^[\w.-]+\/[\w.-]+$/, "owner/name").required(),
      oidcProviderArn: Joi.string().pattern(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, "GitHub's OIDC provider ARN"),
    }).required(),
    [key("alarmTopicArn")]: Joi.string().pattern(/^arn:aws[a-z-]*:sns:/, "an SNS topic ARN"),
  });
}

/** The account stack's configuration, validated (`source` names the file in errors). */
export function parseAccountConfig(raw: Record<string, string>, project: string, source: string): AccountConfig {
  const value = validatePulumiConfig(schema(project), raw, source);
  const get = (name: string) => value[`${project}:${name}`];
  return {
    region: value["aws:region"],
    sender: get("sender"),
    sandboxRecipients: get("sandboxRecipients"),
    github: get("github"),
    alarmTopicArn: get("alarmTopicArn"),
  };
}

/** The running stack's configuration, validated. */
export function readAccountConfig(): AccountConfig {
  return parseAccountConfig(pulumi.runtime.allConfig(), pulumi.getProject(), `Pulumi.${pulumi.getStack()}.yaml`);
}
