/**
 * The account stack's program (`main` in account/Pulumi.yaml): reads the stack's configuration,
 * builds the long-lived account resources and exports what the environments read from them.
 */
import { createAccount } from "./account";
import { readAccountConfig } from "./account-config";

export = createAccount(readAccountConfig());
