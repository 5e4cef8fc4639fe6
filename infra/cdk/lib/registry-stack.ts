import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import { REPOSITORY_NAME } from './config';

/**
 * The ECR repository of the API image: deployed once per AWS account, before the environment stacks, so that
 * CI can push an image before the first service deployment needs it. Tags are the commit SHAs and immutable,
 * so a tag always means the same bytes — the rollback workflow relies on it.
 */
export class RegistryStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'Dynaprice: ECR repository of the API image', ...props });
    this.repository = new ecr.Repository(this, 'ApiRepository', {
      repositoryName: REPOSITORY_NAME,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { description: 'Drop untagged layers of failed pushes', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(7), rulePriority: 1 },
        // Enough history to roll back weeks of merges (docs/runbook.md "Roll back the app").
        { description: 'Keep the last 100 images', tagStatus: ecr.TagStatus.ANY, maxImageCount: 100, rulePriority: 2 },
      ],
    });
  }
}
