import { Match, type Template } from 'aws-cdk-lib/assertions';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { API_PORT, DATABASE_PORT, DEV, METRICS_PORT, PROD, PROMETHEUS_METRICS, REPOSITORY_NAME, type EnvironmentConfig } from '../lib/config';
import { logicalIds, resources, synthesise, TEST_IMAGE_TAG, type Synthesised } from './synth';

let synthesised: Synthesised;
beforeAll(() => {
  synthesised = synthesise();
});

/** An ingress rule's port; the database's is the instance's endpoint port attribute (5433). */
function portOf(rule: Record<string, unknown>): string {
  const port = rule['FromPort'];
  if (port === DATABASE_PORT) return 'database';
  if (typeof port === 'number') return String(port);
  return JSON.stringify(port).includes('Endpoint.Port') ? 'database' : JSON.stringify(port);
}

const ENVS: [EnvironmentConfig['name'], EnvironmentConfig][] = [
  ['dev', DEV],
  ['prod', PROD],
];

describe.each(ENVS)('%s stack', (name, config) => {
  let t: Template;
  let json: Record<string, unknown>;
  beforeAll(() => {
    t = synthesised[name];
    json = synthesised.json[name];
  });

  describe('network', () => {
    it('is a VPC over two availability zones chosen at deploy time (no lookups)', () => {
      t.resourceCountIs('AWS::EC2::VPC', 1);
      t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: config.vpcCidr });
      // public, app (private with egress), data (isolated) in each of 2 AZs
      t.resourceCountIs('AWS::EC2::Subnet', 6);
      const azs = new Set(
        logicalIds(json, 'AWS::EC2::Subnet').map((id) => JSON.stringify(resources(json)[id]!.Properties!['AvailabilityZone'])),
      );
      expect([...azs]).toEqual(
        expect.arrayContaining([JSON.stringify({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }), JSON.stringify({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] })]),
      );
      expect(azs.size).toBe(2);
      t.resourceCountIs('AWS::EC2::NatGateway', config.natGateways);
    });

    it('keeps public subnets from handing out public IPs and logs all traffic', () => {
      t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
      t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }) });
    });
  });

  describe('ECS cluster and Fargate service', () => {
    it('has a cluster with Container Insights', () => {
      t.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: `dynaprice-${name}`,
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
    });

    it('runs the API as a Fargate service in private subnets with rollback on failed deployments', () => {
      t.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: config.api.minCapacity,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
          ...(config.alarms.rollbackOnAlarm ? { Alarms: Match.objectLike({ Enable: true, Rollback: true }) } : {}),
        }),
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
        LoadBalancers: [Match.objectLike({ ContainerName: 'api', ContainerPort: API_PORT })],
      });
    });

    it('runs the image tagged with the commit from the shared ECR repository', () => {
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: String(config.api.cpu),
        Memory: String(config.api.memoryLimitMiB),
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'api',
            Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`/${REPOSITORY_NAME}:${TEST_IMAGE_TAG}`])]) }),
          }),
        ]),
      });
    });

    it('hardens the API container: read-only root, init process, health check on /health/live, non-blocking logs', () => {
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'api',
            Essential: true,
            ReadonlyRootFilesystem: true,
            LinuxParameters: Match.objectLike({ InitProcessEnabled: true }),
            PortMappings: [Match.objectLike({ ContainerPort: API_PORT })],
            HealthCheck: Match.objectLike({ Command: Match.arrayWith([Match.stringLikeRegexp('/health/live')]) }),
            MountPoints: Match.arrayWith([
              Match.objectLike({ ContainerPath: '/tmp', ReadOnly: false }),
              Match.objectLike({ ContainerPath: '/app/data', ReadOnly: false }),
            ]),
            LogConfiguration: Match.objectLike({ LogDriver: 'awslogs', Options: Match.objectLike({ mode: 'non-blocking' }) }),
          }),
        ]),
      });
    });

    it('passes database credentials as secrets, never as plain environment', () => {
      const apiTask = logicalIds(json, 'AWS::ECS::TaskDefinition')
        .map((id) => resources(json)[id]!.Properties!['ContainerDefinitions'] as Record<string, unknown>[])
        .flat()
        .find((container) => container['Name'] === 'api')!;
      const env = Object.fromEntries((apiTask['Environment'] as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
      expect(env).toMatchObject({ PGSSLMODE: 'verify-full', DEMO_SEED: 'false', PORT: String(API_PORT), METRICS_PORT: String(METRICS_PORT), NODE_ENV: 'production', LOG_LEVEL: config.api.logLevel });
      expect(JSON.stringify(env['DATABASE_URL'])).toMatch(/^\{"Fn::Join":\["",\["postgres:\/\/",.*Endpoint\.Address.*Endpoint\.Port.*"\/dynaprice"\]\]\}$/);
      expect(JSON.stringify(env['DATABASE_URL'])).not.toMatch(/password|@/i);
      expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['PGPASSWORD']));
      expect((apiTask['Secrets'] as { Name: string }[]).map((s) => s.Name).sort()).toEqual(['PGPASSWORD', 'PGUSER']);
    });

    it('forwards the API metrics to CloudWatch through a CloudWatch agent sidecar', () => {
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'metrics',
            Essential: false,
            Environment: Match.arrayWith([
              Match.objectLike({ Name: 'CW_CONFIG_CONTENT', Value: Match.anyValue() }),
              Match.objectLike({ Name: 'PROMETHEUS_CONFIG_CONTENT', Value: Match.stringLikeRegexp(`localhost:${METRICS_PORT}`) }),
            ]),
          }),
        ]),
      });
    });
  });

  describe('load balancer', () => {
    it('is internal, drops invalid headers and writes access logs', () => {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'application' });
      for (const attribute of [
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.prefix', Value: 'alb' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'deletion_protection.enabled', Value: String(name === 'prod') },
      ]) {
        t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([attribute]) });
      }
    });

    it('routes only to ready tasks (/health/ready)', () => {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: API_PORT,
        Protocol: 'HTTP',
        TargetType: 'ip',
        HealthCheckPath: '/health/ready',
        Matcher: { HttpCode: '200' },
      });
    });

    it('ramps a new task up to its share of the traffic (slow start)', () => {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetGroupAttributes: Match.arrayWith([{ Key: 'slow_start.duration_seconds', Value: '30' }]),
      });
    });

    it('accepts traffic only from the VPC link; tasks accept traffic only from the load balancer', () => {
      const ingress = logicalIds(json, 'AWS::EC2::SecurityGroupIngress').map((id) => resources(json)[id]!.Properties!);
      for (const rule of ingress) {
        expect(rule['CidrIp']).toBeUndefined();
        expect(rule['SourceSecurityGroupId']).toBeDefined();
      }
      expect(ingress.map(portOf).sort()).toEqual(['80', String(API_PORT), 'database', 'database', 'database'].sort());
    });
  });

  describe('API Gateway', () => {
    it('is an HTTP API behind a VPC link to the load balancer', () => {
      t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: `dynaprice-${name}` });
      t.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
      t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'HTTP_PROXY',
        ConnectionType: 'VPC_LINK',
        IntegrationUri: Match.objectLike({ Ref: Match.stringLikeRegexp('LoadBalancer.*Http') }),
      });
    });

    it('has a route for every POS call plus the default route', () => {
      t.resourceCountIs('AWS::ApiGatewayV2::Route', config.api.posRoutes.length + 1);
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
      for (const route of config.api.posRoutes) t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${route.method} ${route.path}` });
    });

    it('throttles the stage and, tighter, each POS route; logs every request as JSON', () => {
      t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { DetailedMetricsEnabled: true, ThrottlingRateLimit: config.api.stageRateLimit, ThrottlingBurstLimit: config.api.stageBurstLimit },
        RouteSettings: Object.fromEntries(
          config.api.posRoutes.map((route) => [`${route.method} ${route.path}`, { ThrottlingRateLimit: route.rateLimit, ThrottlingBurstLimit: route.burstLimit }]),
        ),
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"status":"\\$context.status"') },
      });
      const pricing = config.api.posRoutes.find((route) => route.path === '/v1/prices')!;
      expect(pricing.rateLimit).toBeLessThan(config.api.stageRateLimit);
    });
  });

  describe('PostgreSQL', () => {
    it('is encrypted, private, backed up, on a non-default port, Multi-AZ in prod only', () => {
      t.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        EngineVersion: '17',
        DBInstanceClass: `db.${config.database.instanceType}`,
        StorageEncrypted: true,
        KmsKeyId: Match.anyValue(),
        PubliclyAccessible: false,
        MultiAZ: config.database.multiAz,
        DeletionProtection: config.database.deletionProtection,
        BackupRetentionPeriod: config.database.backupRetention.toDays(),
        Port: String(DATABASE_PORT),
        EnableIAMDatabaseAuthentication: true,
        AutoMinorVersionUpgrade: true,
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        StorageType: 'gp3',
        MaxAllocatedStorage: config.database.maxAllocatedStorageGiB,
      });
      expect(PROD.database.multiAz).toBe(true);
      t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
      t.hasResourceProperties('AWS::RDS::DBSubnetGroup', Match.anyValue());
    });

    it('keeps its credentials in Secrets Manager, encrypted with the data key and rotated', () => {
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `dynaprice-${name}/database`,
        KmsKeyId: Match.anyValue(),
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', SecretStringTemplate: '{"username":"dynaprice"}' }),
      });
      t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: `rate(${config.database.rotateEvery.toDays()} days)` },
        RotationLambdaARN: Match.anyValue(),
      });
      t.hasResource('AWS::Serverless::Application', {
        Properties: Match.objectLike({ Parameters: Match.objectLike({ functionName: Match.anyValue() }) }),
      });
    });

    it('is reachable only from the API tasks, the jobs and the rotation function', () => {
      const dbIngress = logicalIds(json, 'AWS::EC2::SecurityGroupIngress')
        .map((id) => resources(json)[id]!.Properties!)
        .filter((rule) => portOf(rule) === 'database');
      expect(dbIngress).toHaveLength(3);
    });

    it('redeploys the API when a rotation succeeds', () => {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.secretsmanager'], detail: Match.objectLike({ eventName: ['RotationSucceeded'] }) }),
        Targets: [Match.objectLike({ Arn: Match.anyValue(), DeadLetterConfig: Match.anyValue() })],
      });
      t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', ReservedConcurrentExecutions: 1 });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: { Ref: Match.stringLikeRegexp('ApiService') } })]) },
      });
    });
  });

  describe('model artifacts bucket', () => {
    it('is KMS-encrypted, versioned, private and logged', () => {
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true })] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'model-artifacts/' }),
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: config.artifacts.noncurrentVersionExpiration.toDays() } })]) },
      });
    });

    it('refuses plain HTTP and TLS below 1.2 on every bucket', () => {
      for (const id of logicalIds(json, 'AWS::S3::BucketPolicy')) {
        const statements = (resources(json)[id]!.Properties!['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement;
        expect(statements).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        );
      }
      t.resourceCountIs('AWS::S3::BucketPolicy', 2);
    });

    it('lets the tasks read and add artifacts but never delete them', () => {
      const policies = logicalIds(json, 'AWS::IAM::Policy').map((id) => JSON.stringify(resources(json)[id]!.Properties!['PolicyDocument']));
      const artifactPolicies = policies.filter((p) => p.includes('s3:PutObject'));
      expect(artifactPolicies.length).toBe(1 + config.jobs.length);
      for (const policy of artifactPolicies) {
        expect(policy).not.toMatch(/s3:Delete|s3:\*|s3:GetObject\*/);
      }
    });
  });

  describe('autoscaling', () => {
    it('tracks CPU and requests per target between the configured bounds', () => {
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: config.api.minCapacity,
        MaxCapacity: config.api.maxCapacity,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: config.api.cpuTargetPercent,
        }),
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: Match.anyValue() }),
          TargetValue: config.api.requestsPerTargetPerMinute,
        }),
      });
    });
  });

  describe('alarms', () => {
    const alarm = (suffix: string) => `dynaprice-${name}-${suffix}`;

    it('p99 latency above 500 ms for 5 minutes', () => {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarm('api-latency-p99'),
        MetricName: 'TargetResponseTime',
        Namespace: 'AWS/ApplicationELB',
        ExtendedStatistic: 'p99',
        Threshold: 0.5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        AlarmActions: [Match.anyValue()],
        OKActions: [Match.anyValue()],
      });
    });

    it('5xx rate above 1 % at the load balancer and at the gateway', () => {
      for (const suffix of ['api-5xx-rate', 'gateway-5xx-rate']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: alarm(suffix),
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
          Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('^100 \\*') })]),
        });
      }
    });

    it('no decisions for 15 minutes (prod only: dev has no traffic)', () => {
      const matches = t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarm('no-decisions') } });
      if (config.alarms.noDecisionsFor) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: alarm('no-decisions'),
          Namespace: `Dynaprice/${name}`,
          MetricName: PROMETHEUS_METRICS.pricedLines,
          Statistic: 'Sum',
          Period: 900,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        });
      } else {
        expect(Object.keys(matches)).toHaveLength(0);
      }
    });

    it('feature drift (PSI > 0.2) and fairness gap (> 2 %) from the API metrics', () => {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: alarm('feature-drift'), MetricName: PROMETHEUS_METRICS.featurePsi, Statistic: 'Maximum', Threshold: 0.2 });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: alarm('fairness-gap'), MetricName: PROMETHEUS_METRICS.fairnessGap, Statistic: 'Maximum', Threshold: 0.02 });
    });

    it('infrastructure alarms: unhealthy targets, too few tasks, database CPU and storage, jobs', () => {
      for (const suffix of ['unhealthy-targets', 'too-few-tasks', 'database-cpu', 'database-storage', 'nightly-job-not-started']) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: alarm(suffix), AlarmActions: [Match.anyValue()] });
      }
      t.hasResourceProperties('AWS::Events::Rule', {
        Name: alarm('nightly-job-failed'),
        EventPattern: Match.objectLike({ source: ['aws.ecs'], detail: Match.objectLike({ lastStatus: ['STOPPED'] }) }),
      });
    });

    it('every alarm notifies the encrypted, TLS-only topic', () => {
      const alarms = logicalIds(json, 'AWS::CloudWatch::Alarm');
      expect(alarms.length).toBe(config.alarms.noDecisionsFor ? 11 : 10);
      t.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('ObservabilityAlarms') }] });
      t.hasResourceProperties('AWS::SNS::Topic', { TopicName: alarm('alarms'), KmsMasterKeyId: Match.anyValue() });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });
  });

  describe('logs', () => {
    it('every log group has the environment retention', () => {
      const groups = logicalIds(json, 'AWS::Logs::LogGroup').map((id) => resources(json)[id]!.Properties!);
      expect(groups.length).toBeGreaterThanOrEqual(8);
      for (const group of groups) expect(group['RetentionInDays']).toBe(config.logRetention);
    });
  });

  describe('nightly jobs', () => {
    it.each(config.jobs.map((job) => [job.id, job] as const))('%s runs `node bin/dynaprice.js …` on Fargate from EventBridge Scheduler', (_id, job) => {
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: `dynaprice-${name}-${job.id.toLowerCase()}`,
        Cpu: String(job.cpu),
        ContainerDefinitions: [Match.objectLike({ Name: 'job', Command: ['node', 'bin/dynaprice.js', ...job.command], ReadonlyRootFilesystem: true })],
      });
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `dynaprice-${name}-${job.id.toLowerCase()}`,
        GroupName: Match.anyValue(),
        ScheduleExpression: `cron(${job.minute} ${job.hour} * * ? *)`,
        ScheduleExpressionTimezone: config.jobsTimeZone,
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: Match.anyValue(),
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
          EcsParameters: Match.objectLike({
            LaunchType: 'FARGATE',
            TaskCount: 1,
            NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
          }),
        }),
      });
    });

    it('retrains before the fairness audit, both at night', () => {
      const [retrain, audit] = [config.jobs.find((j) => j.id === 'Retrain')!, config.jobs.find((j) => j.id === 'FairnessAudit')!];
      expect(retrain.command).toEqual(['jobs', 'retrain']);
      expect(audit.command).toEqual(['jobs', 'fairness-audit']);
      expect(retrain.hour * 60 + retrain.minute).toBeLessThan(audit.hour * 60 + audit.minute);
      t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
    });
  });

  it('exposes the outputs the workflows read', () => {
    for (const output of ['ApiUrl', 'ClusterName', 'ServiceName', 'ImageTag', 'ModelBucketName', 'DatabaseSecretArn', 'AlarmTopicArn']) {
      t.hasOutput(output, Match.anyValue());
    }
    t.hasOutput('ImageTag', { Value: TEST_IMAGE_TAG });
  });

  it('uses customer-managed keys with rotation', () => {
    t.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('dev and prod differ where they should', () => {
  it('prod is highly available, dev is cheap', () => {
    expect(PROD.database.multiAz && !DEV.database.multiAz).toBe(true);
    expect(PROD.natGateways).toBe(2);
    expect(PROD.api.minCapacity).toBeGreaterThanOrEqual(2);
    expect(PROD.database.deletionProtection).toBe(true);
    expect(PROD.vpcCidr).not.toBe(DEV.vpcCidr);
  });
});

describe('registry stack', () => {
  it('has an encrypted ECR repository with immutable tags, scanning and a lifecycle', () => {
    synthesised.registry.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: REPOSITORY_NAME,
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'KMS' },
      LifecyclePolicy: Match.objectLike({ LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":100') }),
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  type Suppression = { id: string; reason: string };
  const suppressions = (template: Record<string, unknown>): Suppression[] =>
    Object.values(resources(template)).flatMap(
      (resource) => ((resource.Metadata?.['cdk_nag'] as { rules_to_suppress?: Suppression[] } | undefined)?.rules_to_suppress ?? []),
    );

  it('synthesises with no unacknowledged finding (app.synth() throws otherwise)', () => {
    // Reaching here means beforeAll's app.synth() passed the AwsSolutions validation plugin.
    expect(synthesised.dev).toBeDefined();
  });

  it('justifies every acknowledgment, and acknowledges only the reviewed rules', () => {
    const everything = [...suppressions(synthesised.json.dev), ...suppressions(synthesised.json.prod), ...suppressions(synthesised.json.registry)];
    // aws-cdk-lib itself acknowledges a few cfn-lint checks of its own constructs (e.g. W3010, literal AZs of
    // the VPC); every other acknowledgment is ours and is an AwsSolutions rule.
    for (const { id } of everything.filter(({ id }) => !id.startsWith('AwsSolutions-'))) expect(id).toMatch(/^CloudFormation-Validate::[EFW]\d+$/);
    const all = everything.filter(({ id }) => id.startsWith('AwsSolutions-'));
    for (const { reason } of all) expect(reason.length).toBeGreaterThan(60);
    const rules = [...new Set(all.map(({ id }) => id.replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-ECS2', 'AwsSolutions-IAM5', 'AwsSolutions-RDS10', 'AwsSolutions-RDS3', 'AwsSolutions-S1', 'AwsSolutions-SQS3']);
    // Multi-AZ and deletion protection are waived for dev only.
    const prodRules = new Set(suppressions(synthesised.json.prod).map(({ id }) => id));
    expect(prodRules.has('AwsSolutions-RDS3')).toBe(false);
    expect(prodRules.has('AwsSolutions-RDS10')).toBe(false);
  });

  it('is really wired in: a non-compliant bucket fails synthesis', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Bad');
    new s3.Bucket(stack, 'Unlogged');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10/);
  });
});
