import { Aws, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addAppContainer, type AppRuntime } from './app-container';
import type { NightlyJob } from './config';

export interface NightlyJobsProps extends AppRuntime {
  readonly cluster: ecs.ICluster;
}

/**
 * Nightly CLI jobs (retraining, fairness audit): one Fargate task definition each, running
 * `node bin/dynaprice.js <command>` from the API image, started by an EventBridge Scheduler schedule in the
 * retailer's time zone. Start failures land in a dead-letter queue (alarmed); task failures (non-zero exit) are
 * caught by Observability's ECS task-state rule.
 */
export class NightlyJobs extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly taskDefinitions: ecs.FargateTaskDefinition[] = [];
  readonly schedules: scheduler.Schedule[] = [];
  readonly logGroup: logs.LogGroup;
  readonly schedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: NightlyJobsProps) {
    super(scope, id);
    const { config, cluster } = props;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: 'Nightly Dynaprice jobs: no inbound, outbound to the database and AWS APIs',
      allowAllOutbound: true,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetention });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the job schedules and of the rotation rule; a queue behind it would never be read.',
    });
    const group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: `dynaprice-${config.name}` });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: starts the nightly Dynaprice tasks',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': group.scheduleGroupArn } },
      }),
    });
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<${Stack.of(this).getLogicalId(cluster.node.defaultChild as ecs.CfnCluster)}>/*]`,
      reason: 'ecs:TagResource on the tasks the schedule starts in this cluster only: task ids exist only once RunTask has created them.',
    });

    for (const job of config.jobs) this.addJob(job, props, group);
  }

  private addJob(job: NightlyJob, props: NightlyJobsProps, group: scheduler.ScheduleGroup): void {
    const { config, cluster } = props;
    const task = new ecs.FargateTaskDefinition(this, `${job.id}Task`, {
      family: `dynaprice-${config.name}-${job.id.toLowerCase()}`,
      cpu: job.cpu,
      memoryLimitMiB: job.memoryLimitMiB,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    addAppContainer(task, props, {
      name: 'job',
      logGroup: this.logGroup,
      command: ['node', 'bin/dynaprice.js', ...job.command],
      environment: { DYNAPRICE_JOB: job.id },
    });
    this.taskDefinitions.push(task);

    const target = new targets.EcsRunFargateTask(cluster, {
      taskDefinition: task,
      role: this.schedulerRole,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: true,
      enableEcsManagedTags: true,
      taskCount: 1,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(2),
    });
    const schedule = new scheduler.Schedule(this, `${job.id}Schedule`, {
        scheduleName: `dynaprice-${config.name}-${job.id.toLowerCase()}`,
        description: job.description,
        scheduleGroup: group,
        schedule: scheduler.ScheduleExpression.cron({
          minute: String(job.minute),
          hour: String(job.hour),
          timeZone: TimeZone.of(config.jobsTimeZone),
        }),
        target,
        enabled: true,
      });
    this.schedules.push(schedule);
  }
}
