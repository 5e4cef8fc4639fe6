import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FactName } from 'aws-cdk-lib/region-info';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addAppContainer, type AppRuntime } from './app-container';
import { API_PORT, METRICS_PORT, PROMETHEUS_METRICS } from './config';

export interface ApiServiceProps extends AppRuntime {
  readonly cluster: ecs.ICluster;
  readonly accessLogs: s3.IBucket;
}

/** Image of the CloudWatch agent sidecar that turns the API's Prometheus metrics into CloudWatch metrics. */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest';

/**
 * The pricing API on Fargate behind an internal Application Load Balancer (API Gateway reaches it through a
 * VPC link), with target tracking on CPU and on requests per task, deployment circuit breaker with rollback,
 * and a CloudWatch agent sidecar scraping /metrics.
 */
export class ApiService extends Construct {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** CloudWatch namespace of the metrics scraped from /metrics. */
  readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const { config, cluster } = props;
    const vpc = cluster.vpc;
    this.metricsNamespace = `Dynaprice/${config.name}`;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetention });
    const metricsLogGroup = new logs.LogGroup(this, 'MetricsLogs', { retention: config.logRetention });

    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: config.api.cpu,
      memoryLimitMiB: config.api.memoryLimitMiB,
      // onnxruntime-node's linux/x64 binaries are the ones the image keeps (infra/docker/prune-node-modules.mjs).
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });

    addAppContainer(task, props, {
      name: 'api',
      logGroup: this.logGroup,
      portMappings: [{ containerPort: API_PORT, name: 'http', appProtocol: ecs.AppProtocol.http }],
      environment: { PORT: String(API_PORT), HOST: '0.0.0.0', METRICS_PORT: String(METRICS_PORT) },
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${API_PORT}/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        // Migrations run at boot.
        startPeriod: Duration.seconds(90),
      },
    });

    // Prometheus → CloudWatch (embedded metric format): the alarms of Observability read these series.
    const scrape = [
      'global:',
      '  scrape_interval: 30s',
      '  scrape_timeout: 10s',
      'scrape_configs:',
      '  - job_name: dynaprice-api',
      '    metrics_path: /metrics',
      '    static_configs:',
      // The API's credential-free metrics port, reachable only inside the task (never behind the ALB).
      `      - targets: ['localhost:${METRICS_PORT}']`,
      '        labels:',
      `          Environment: ${config.name}`,
      '',
    ].join('\n');
    const agentConfig = {
      logs: {
        metrics_collected: {
          prometheus: {
            log_group_name: metricsLogGroup.logGroupName,
            prometheus_config_path: 'env:PROMETHEUS_CONFIG_CONTENT',
            emf_processor: {
              metric_declaration_dedup: true,
              metric_namespace: this.metricsNamespace,
              metric_declaration: [
                {
                  source_labels: ['job'],
                  label_matcher: '^dynaprice-api$',
                  dimensions: [['Environment']],
                  metric_selectors: Object.values(PROMETHEUS_METRICS).map((name) => `^${name}$`),
                },
              ],
            },
          },
        },
        force_flush_interval: 5,
      },
    };
    task.addContainer('metrics', {
      image: ecs.ContainerImage.fromRegistry(CLOUDWATCH_AGENT_IMAGE),
      essential: false,
      cpu: 64,
      memoryReservationMiB: 128,
      readonlyRootFilesystem: false,
      environment: {
        CW_CONFIG_CONTENT: Stack.of(this).toJsonString(agentConfig),
        PROMETHEUS_CONFIG_CONTENT: scrape,
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'metrics', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    metricsLogGroup.grantWrite(task.taskRole);

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description: 'Dynaprice API tasks: HTTP from the load balancer only',
      allowAllOutbound: true,
    });
    const albSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: 'Internal load balancer: HTTP from the API Gateway VPC link only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      idleTimeout: Duration.seconds(60),
      deletionProtection: config.name === 'prod',
    });
    enableAccessLogs(this.loadBalancer, props.accessLogs, 'alb');
    this.securityGroup.connections.allowFrom(albSecurityGroup, ec2.Port.tcp(API_PORT), 'load balancer to API tasks');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: config.api.minCapacity,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [this.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(120),
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });

    // TLS ends at API Gateway; the VPC-link → load-balancer hop stays inside the VPC.
    this.listener = this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    this.targetGroup = this.listener.addTargets('Api', {
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: 'api', containerPort: API_PORT })],
      healthCheck: {
        // Ready = database reachable, migrations applied, model loaded: only then does a task get traffic.
        path: '/health/ready',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      deregistrationDelay: Duration.seconds(30),
      // A new task answers at a quarter to half its speed for its first ~3 s (JIT, first decisions): given its
      // full share at once, its queue took 1.3–1.6 s to drain at 1,400 baskets/s on the benchmark machine.
      slowStart: Duration.seconds(30),
    });

    const scaling = this.service.autoScaleTaskCount({ minCapacity: config.api.minCapacity, maxCapacity: config.api.maxCapacity });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: config.api.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    scaling.scaleOnRequestCount('Requests', {
      targetGroup: this.targetGroup,
      requestsPerTarget: config.api.requestsPerTargetPerMinute,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });

  }
}

/**
 * Load-balancer access logs without a region at synthesis (`logAccessLogs` needs one to pick the ELB account):
 * the bucket policy admits both the regional ELB account (a CloudFormation mapping, regions before Aug 2022) and
 * the log-delivery service principal (newer regions).
 */
function enableAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(loadBalancer);
  const elbAccount = stack.regionalFact(FactName.ELBV2_ACCOUNT, Aws.ACCOUNT_ID);
  const objects = bucket.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({ principals: [new iam.AccountPrincipal(elbAccount)], actions: ['s3:PutObject'], resources: [objects] }),
  );
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [objects],
    }),
  );
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
  if (bucket.policy) loadBalancer.node.addDependency(bucket.policy);
}
