import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { DATABASE_NAME, type EnvironmentConfig } from './config';

/** What the API and the CLI jobs share: the image, the database, the model bucket. */
export interface AppRuntime {
  readonly config: EnvironmentConfig;
  readonly image: ecs.ContainerImage;
  readonly database: rds.DatabaseInstance;
  readonly artifacts: s3.IBucket;
  /** Key of the artifact bucket. */
  readonly key: kms.IKey;
}

/**
 * Environment of every Dynaprice container. The connection string carries no credentials: `pg` takes the user
 * and password from PGUSER / PGPASSWORD (injected from Secrets Manager below) and TLS from PGSSLMODE, with the
 * RDS certificate authorities that the image adds through NODE_EXTRA_CA_CERTS.
 */
export function appEnvironment(runtime: AppRuntime, extra: Record<string, string> = {}): Record<string, string> {
  const { database, config, artifacts } = runtime;
  return {
    NODE_ENV: 'production',
    DATABASE_URL: `postgres://${database.dbInstanceEndpointAddress}:${database.dbInstanceEndpointPort}/${DATABASE_NAME}`,
    DATABASE_SCHEMA: 'public',
    PGSSLMODE: 'verify-full',
    DEMO_SEED: 'false',
    LOG_LEVEL: config.api.logLevel,
    MODEL_BUCKET: artifacts.bucketName,
    DYNAPRICE_ENVIRONMENT: config.name,
    ...extra,
  };
}

/** Database credentials, resolved by ECS from the rotated secret when a task starts. */
export function appSecrets(runtime: AppRuntime): Record<string, ecs.Secret> {
  const secret = runtime.database.secret;
  if (!secret) throw new Error('the database has no generated secret');
  return {
    PGUSER: ecs.Secret.fromSecretsManager(secret, 'username'),
    PGPASSWORD: ecs.Secret.fromSecretsManager(secret, 'password'),
  };
}

/**
 * Adds the Dynaprice container to a task definition: read-only root filesystem with writable /tmp and
 * /app/data task volumes (the image declares both as VOLUMEs), non-blocking JSON logs, ECS's init process
 * so that signals reach node and zombies are reaped.
 */
export function addAppContainer(
  task: ecs.FargateTaskDefinition,
  runtime: AppRuntime,
  options: { name: string; logGroup: logs.ILogGroup; command?: string[]; environment?: Record<string, string>; portMappings?: ecs.PortMapping[]; healthCheck?: ecs.HealthCheck },
): ecs.ContainerDefinition {
  for (const volume of ['tmp', 'data']) task.addVolume({ name: volume });
  const container = task.addContainer(options.name, {
    image: runtime.image,
    essential: true,
    command: options.command,
    environment: appEnvironment(runtime, options.environment),
    secrets: appSecrets(runtime),
    portMappings: options.portMappings,
    healthCheck: options.healthCheck,
    readonlyRootFilesystem: true,
    linuxParameters: new ecs.LinuxParameters(task, `${options.name}Linux`, { initProcessEnabled: true }),
    stopTimeout: Duration.seconds(30),
    logging: ecs.LogDrivers.awsLogs({
      logGroup: options.logGroup,
      streamPrefix: options.name,
      // A slow log pipeline must never stall the pricing hot path.
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(25),
    }),
  });
  container.addMountPoints(
    { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    { sourceVolume: 'data', containerPath: '/app/data', readOnly: false },
  );
  grantModelArtifacts(task, runtime);
  Validations.of(task.obtainExecutionRole()).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken has no resource-level permissions (AWS service authorization reference); every other execution-role statement names its log group, repository or secret.',
  });
  Validations.of(task).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason: 'The environment holds only non-secret settings (database host, log level, bucket name); the credentials are ECS secrets from Secrets Manager.',
  });
  return container;
}

/**
 * Model artifacts: read any version, write new objects, never delete (versions are immutable, SPEC §6), with
 * exact actions rather than the `s3:GetObject*`-style wildcards of `bucket.grantReadWrite`.
 */
function grantModelArtifacts(task: ecs.FargateTaskDefinition, runtime: AppRuntime): void {
  const role = task.taskRole;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      resources: [runtime.artifacts.arnForObjects('*')],
    }),
  );
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [runtime.artifacts.bucketArn] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [runtime.key.keyArn] }));
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(runtime.artifacts)}.Arn>/*]`,
    reason: 'Objects of the model-artifact bucket only: model versions are created at run time, so their keys cannot be listed in the policy.',
  });
}

function logicalIdOf(bucket: s3.IBucket): string {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  return Stack.of(bucket).getLogicalId(cfn);
}
