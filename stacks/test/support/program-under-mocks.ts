/**
 * Runs a Pulumi program's entry file the way Pulumi's Node.js runtime does, only with mocks in
 * place of the engine: `node <nodeargs of Pulumi.yaml> program-under-mocks.ts <project> <stack> <main>`,
 * started in the folder the engine starts it in, the stack's config in PULUMI_CONFIG as the CLI
 * passes it. Prints the stack outputs, the functions' code archives and the API image's build
 * inputs as JSON.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, recordingMocks } from "./recording-mocks";

async function main([project, stack, entry]: string[]): Promise<void> {
  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(recordingMocks(recorded), project, stack, false);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as Pulumi loads `main`
  const outputs = await pulumi.runtime.runInPulumiStack(async () => require(path.resolve(entry)));
  await pulumi.runtime.disconnect();
  const codePath = async (suffix: string) => {
    const code = recorded.find((r) => r.type === "aws:lambda/function:Function" && r.name.endsWith(suffix))?.inputs.code;
    return code instanceof pulumi.asset.FileArchive ? await code.path : undefined;
  };
  const image = recorded.find((r) => r.type === "awsx:ecr:Image")?.inputs;
  process.stdout.write(
    JSON.stringify({
      outputs,
      campaignCodePath: await codePath("-campaign-fn"),
      migratorCodePath: await codePath("-migrator-fn"),
      imageBuild: image && { type: "awsx:ecr:Image", inputs: image },
    }),
  );
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
