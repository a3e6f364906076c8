import * as pulumi from "@pulumi/pulumi";

/**
 * `value`, carrying a dependency on `resource`: whatever takes it as an input is created after
 * `resource` (a role after its policy, a service after its secret's value).
 */
export function availableAfter(value: pulumi.Output<string>, resource: pulumi.CustomResource): pulumi.Output<string> {
  return pulumi.all([value, resource.id]).apply(([v]) => v);
}
