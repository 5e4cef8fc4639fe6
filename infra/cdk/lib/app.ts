import { App, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENTS, type EnvironmentConfig } from './config';
import { DynapriceStack } from './dynaprice-stack';
import { RegistryStack } from './registry-stack';

export interface DynapriceAppOptions extends AppProps {
  /** Image tag the environment stacks deploy (the commit SHA); default: context `imageTag`, else `unset`. */
  readonly imageTag?: string;
  /** Which environments to add (default both). */
  readonly environments?: readonly EnvironmentConfig['name'][];
}

export interface DynapriceApp {
  readonly app: App;
  readonly registry: RegistryStack;
  readonly stacks: Record<string, DynapriceStack>;
}

/** Stack name of an environment, as `cdk deploy` and the workflows name it. */
export const stackName = (environment: EnvironmentConfig['name']): string => `Dynaprice-${environment}`;
export const REGISTRY_STACK = 'Dynaprice-Registry';

/**
 * CDK feature flags, set here rather than in cdk.json so that the tests synthesise exactly what `cdk synth`
 * and `cdk deploy` do.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/core:target-partitions': ['aws'],
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker': true,
  '@aws-cdk/aws-ecs:removeDefaultDeploymentAlarm': true,
  '@aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions': true,
  '@aws-cdk/aws-rds:preventRenderingDeprecatedCredentials': true,
  '@aws-cdk/aws-rds:lowercaseDbIdentifier': true,
};

/**
 * The CDK app: the registry stack and one stack per environment, checked by cdk-nag's AwsSolutions pack at
 * synthesis (a finding that is not acknowledged, with a reason, fails `cdk synth` and the tests).
 */
export function buildApp(options: DynapriceAppOptions = {}): DynapriceApp {
  const { environments = ['dev', 'prod'], ...appProps } = options;
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...appProps.context } });
  const imageTag = String(options.imageTag ?? app.node.tryGetContext('imageTag') ?? 'unset');
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(imageTag)) throw new Error(`invalid image tag ${JSON.stringify(imageTag)}`);
  // Acknowledged findings are also written into each resource's Metadata (cdk_nag.rules_to_suppress), so that
  // every suppression and its reason can be read, and tested, from the templates.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  Tags.of(app).add('project', 'dynaprice');

  const registry = new RegistryStack(app, REGISTRY_STACK);
  const stacks: Record<string, DynapriceStack> = {};
  for (const name of environments) {
    const stack = new DynapriceStack(app, stackName(name), { config: ENVIRONMENTS[name], imageTag });
    Tags.of(stack).add('environment', name);
    stacks[name] = stack;
  }
  return { app, registry, stacks };
}
