import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { ApiService } from './api-service';
import { DATABASE_PORT, REPOSITORY_NAME, type EnvironmentConfig } from './config';
import { Data } from './data';
import { HttpEdge } from './http-edge';
import { Network } from './network';
import { NightlyJobs } from './nightly-jobs';
import { Observability } from './observability';
import { RestartOnRotation } from './restart-on-rotation';

export interface DynapriceStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Tag of the API image in the ECR repository (the commit SHA; see .github/workflows/main.yml). */
  readonly imageTag: string;
}

/**
 * One Dynaprice environment. Environment-agnostic on purpose (no `env`): synthesis never calls AWS, and the
 * account and region come from the credentials `cdk deploy` runs with.
 */
export class DynapriceStack extends Stack {
  readonly network: Network;
  readonly data: Data;
  readonly api: ApiService;
  readonly edge: HttpEdge;
  readonly jobs: NightlyJobs;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: DynapriceStackProps) {
    super(scope, id, { description: `Dynaprice ${props.config.name}: pricing API on Fargate, PostgreSQL, nightly jobs`, ...props });
    const { config } = props;

    this.network = new Network(this, 'Network', config);
    const vpc = this.network.vpc;
    this.data = new Data(this, 'Data', { config, vpc });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: `dynaprice-${config.name}`,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', REPOSITORY_NAME);
    const runtime = {
      config,
      image: ecs.ContainerImage.fromEcrRepository(repository, props.imageTag),
      database: this.data.database,
      artifacts: this.data.artifacts,
      key: this.data.key,
    };

    this.api = new ApiService(this, 'Api', { ...runtime, cluster, accessLogs: this.data.accessLogs });
    this.edge = new HttpEdge(this, 'Edge', { config, vpc, listener: this.api.listener });
    this.jobs = new NightlyJobs(this, 'Jobs', { ...runtime, cluster });
    const databaseSecret = this.data.database.secret;
    if (!databaseSecret) throw new Error('the database has no generated secret');

    for (const [securityGroup, description] of [
      [this.api.securityGroup, 'API tasks'],
      [this.jobs.securityGroup, 'nightly jobs'],
    ] as const) {
      this.data.databaseSecurityGroup.connections.allowFrom(securityGroup, ec2.Port.tcp(DATABASE_PORT), `PostgreSQL from ${description}`);
    }

    this.observability = new Observability(this, 'Observability', {
      config,
      cluster,
      service: this.api.service,
      loadBalancer: this.api.loadBalancer,
      targetGroup: this.api.targetGroup,
      stage: this.edge.stage,
      metricsNamespace: this.api.metricsNamespace,
      database: this.data.database,
      jobDeadLetters: this.jobs.deadLetterQueue,
      jobFamilies: this.jobs.taskDefinitions.map((task) => task.family),
    });

    new RestartOnRotation(this, 'RestartOnRotation', {
      secret: databaseSecret,
      service: this.api.service,
      cluster,
      logRetention: config.logRetention,
      deadLetterQueue: this.jobs.deadLetterQueue,
    });

    // Read by the workflows (smoke test, rollback) and by people (docs/runbook.md).
    new CfnOutput(this, 'ApiUrl', { value: this.edge.url, description: 'Public URL of the pricing API' });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.api.service.serviceName });
    new CfnOutput(this, 'ImageTag', { value: props.imageTag, description: 'Image tag this deployment runs' });
    new CfnOutput(this, 'ModelBucketName', { value: this.data.artifacts.bucketName });
    new CfnOutput(this, 'DatabaseSecretArn', { value: databaseSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
  }
}
