/**
 * The API's image: an ECR repository (scanned on push, old images expired) and the image built
 * from the repository's root `Dockerfile` and pushed during `pulumi up`. The task definition
 * references the pushed image by digest, so a changed image is a new deployment.
 */
import path from "node:path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** Fargate tasks run on x86-64 (the task definition's runtime platform says the same). */
export const IMAGE_PLATFORM = "linux/amd64";
const IMAGES_KEPT = 20;
/**
 * One moving tag. awsx otherwise names the build after a hash of the context's absolute path, so
 * each checkout (a laptop, a CI runner) would push under a new name. Tasks run the digest, never the tag.
 */
const IMAGE_TAG = "latest";
/**
 * The repository's root, resolved from this file: the engine runs the program in the folder of
 * `main` (stacks/), so a relative context would name stacks/, which holds no Dockerfile.
 */
export const BUILD_CONTEXT = path.join(__dirname, "..");

export interface ContainerImageArgs {
  /** Let `pulumi destroy` delete the repository while it holds images. */
  forceDelete: boolean;
}

export class ContainerImage extends pulumi.ComponentResource {
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;
  /** `<repository>@sha256:<digest>`. */
  readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecom:image:ContainerImage", name, {}, opts);

    // aws.ecr.Repository rather than awsx's: the execution role's pull permission needs its ARN.
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      { forceDelete: args.forceDelete, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "MUTABLE" },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `Keep the ${IMAGES_KEPT} most recent images (enough to roll back), expire older ones`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: IMAGES_KEPT },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { parent: this },
    );
    const image = new awsx.ecr.Image(
      `${name}-image`,
      {
        repositoryUrl: repository.repositoryUrl,
        context: BUILD_CONTEXT,
        dockerfile: path.join(BUILD_CONTEXT, "Dockerfile"),
        platform: IMAGE_PLATFORM,
        imageTag: IMAGE_TAG,
      },
      { parent: this },
    );

    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.imageUri = image.imageUri;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, imageUri: this.imageUri });
  }
}
