/**
 * The HMAC key of unsubscribe links, rotated by raising the stack's `unsubscribeKeyGeneration`.
 * Each generation's key is its own resource, named by its number, so raising the generation adds
 * a key and leaves the previous one as it was: the current key and the one before it are kept in
 * two secrets, and the services accept both, so links sent before a rotation keep working.
 */
import * as pulumi from "@pulumi/pulumi";
import { GeneratedSecret, generateKey } from "./generated-secret";

export interface UnsubscribeSigningKeysArgs {
  /** The current key's generation, from 1; raising it by one rotates the key. */
  generation: number;
  /** Days a deleted secret can still be restored; 0 deletes it at once. */
  recoveryWindowDays: number;
}

export class UnsubscribeSigningKeys extends pulumi.ComponentResource {
  /** The secret holding the key that signs new links. */
  readonly currentSecretArn: pulumi.Output<string>;
  /** The secret holding the previous generation's key; none at generation 1. */
  readonly previousSecretArn?: pulumi.Output<string>;

  constructor(name: string, args: UnsubscribeSigningKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:secrets:UnsubscribeSigningKeys", name, {}, opts);
    const keyOf = (generation: number) => generateKey(`${name}-generation-${generation}`, this);
    const secret = (role: string, description: string, value: pulumi.Output<string>) =>
      new GeneratedSecret(`${name}-${role}`, { description, recoveryWindowDays: args.recoveryWindowDays, value }, { parent: this }).arn;

    this.currentSecretArn = secret("current", `HMAC key signing unsubscribe links (generation ${args.generation})`, keyOf(args.generation));
    if (args.generation > 1) {
      this.previousSecretArn = secret(
        "previous",
        `Previous HMAC key of unsubscribe links (generation ${args.generation - 1}), still accepted`,
        keyOf(args.generation - 1),
      );
    }
    this.registerOutputs({ currentSecretArn: this.currentSecretArn, previousSecretArn: this.previousSecretArn });
  }
}
