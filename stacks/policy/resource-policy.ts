/**
 * How this pack writes a rule: checks over resource inputs that return what is wrong, so each one
 * is a plain function the tests call with passing and failing inputs.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";

/** A resource's inputs as the engine passes them: JSON of a shape that depends on the resource type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field, whatever the type
export type Props = Record<string, any>;

/** The problems found in `props`, the inputs of a resource of `type`; none when it complies. */
export type Check = (props: Props, type: string) => string[];

/** A mandatory policy running `checks[type]` on each resource of a type it names. */
export function resourcePolicy(name: string, description: string, checks: Record<string, Check>): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const check = checks[args.type];
      for (const problem of check ? check(args.props, args.type) : []) reportViolation(problem);
    },
  };
}

/** `[message]` when `violated`, else nothing. */
export const problemIf = (violated: boolean, message: string): string[] => (violated ? [message] : []);
