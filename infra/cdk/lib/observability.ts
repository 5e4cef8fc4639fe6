import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PROMETHEUS_METRICS, type EnvironmentConfig } from './config';

export interface ObservabilityProps {
  readonly config: EnvironmentConfig;
  readonly cluster: ecs.ICluster;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly stage: apigwv2.HttpStage;
  readonly metricsNamespace: string;
  readonly database: rds.DatabaseInstance;
  readonly jobDeadLetters: sqs.IQueue;
  readonly jobFamilies: string[];
}

/**
 * CloudWatch alarms mirroring the Prometheus alert rules (SPEC §10: p99 latency > 500 ms, error rate > 1 %,
 * drift PSI > 0.2, fairness gap > 2 %, no decisions for 15 minutes), plus the infrastructure ones only AWS sees
 * (unhealthy targets, too few tasks, database CPU and storage, nightly jobs). Every alarm notifies one
 * encrypted SNS topic; docs/runbook.md has a section per alarm name.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Alarms that roll back a deployment in progress (ECS deployment alarms). */
  readonly deploymentAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    const name = (suffix: string) => `dynaprice-${config.name}-${suffix}`;

    const topicKey = new kms.Key(this, 'TopicKey', {
      description: `Dynaprice ${config.name}: alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch alarms and EventBridge publish to the encrypted topic.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      topicName: name('alarms'),
      displayName: `Dynaprice ${config.name} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (config.alarms.email) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarms.email));
    const notify = new actions.SnsAction(this.topic);

    const add = (alarm: cloudwatch.Alarm, { deployment = false } = {}) => {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
      if (deployment) this.deploymentAlarms.push(alarm);
      return alarm;
    };
    const minute = Duration.minutes(1);

    // --- Mirrors of the Prometheus rules -------------------------------------------------------------------
    add(
      new cloudwatch.Alarm(this, 'LatencyP99', {
        alarmName: name('api-latency-p99'),
        alarmDescription: `p99 latency of the API above ${config.alarms.latencyP99Ms} ms for 5 minutes (load balancer target response time). Runbook: docs/runbook.md#api-latency-p99`,
        metric: props.targetGroup.metrics.targetResponseTime({ statistic: 'p99', period: minute }),
        threshold: config.alarms.latencyP99Ms / 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      { deployment: true },
    );

    const targetErrors = props.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute, statistic: 'Sum' });
    const lbErrors = props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: minute, statistic: 'Sum' });
    const requests = props.targetGroup.metrics.requestCount({ period: minute, statistic: 'Sum' });
    add(
      new cloudwatch.Alarm(this, 'ErrorRate', {
        alarmName: name('api-5xx-rate'),
        alarmDescription: `More than ${config.alarms.errorRatePercent} % of API responses are 5xx for 5 minutes. Runbook: docs/runbook.md#api-5xx-rate`,
        metric: new cloudwatch.MathExpression({
          expression: '100 * (FILL(targetErrors, 0) + FILL(lbErrors, 0)) / IF(FILL(requests, 0) > 0, requests, 1)',
          usingMetrics: { targetErrors, lbErrors, requests },
          period: minute,
          label: '5xx %',
        }),
        threshold: config.alarms.errorRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      { deployment: true },
    );

    const gatewayErrors = props.stage.metricServerError({ period: minute, statistic: 'Sum' });
    const gatewayCount = props.stage.metricCount({ period: minute, statistic: 'Sum' });
    add(
      new cloudwatch.Alarm(this, 'GatewayErrorRate', {
        alarmName: name('gateway-5xx-rate'),
        alarmDescription: `More than ${config.alarms.errorRatePercent} % of API Gateway responses are 5xx for 5 minutes (includes VPC link and integration failures the load balancer never sees). Runbook: docs/runbook.md#gateway-5xx-rate`,
        metric: new cloudwatch.MathExpression({
          expression: '100 * FILL(gatewayErrors, 0) / IF(FILL(gatewayCount, 0) > 0, gatewayCount, 1)',
          usingMetrics: { gatewayErrors, gatewayCount },
          period: minute,
          label: 'gateway 5xx %',
        }),
        threshold: config.alarms.errorRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    const appMetric = (metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Metric({ namespace: props.metricsNamespace, metricName, dimensionsMap: { Environment: config.name }, statistic, period });

    if (config.alarms.noDecisionsFor) {
      add(
        new cloudwatch.Alarm(this, 'NoDecisions', {
          alarmName: name('no-decisions'),
          alarmDescription: `No price served (new or reused decision) in ${config.alarms.noDecisionsFor.toMinutes()} minutes: POS traffic stopped reaching the API, or the API stopped pricing. Runbook: docs/runbook.md#no-decisions`,
          metric: appMetric(PROMETHEUS_METRICS.pricedLines, 'Sum', config.alarms.noDecisionsFor),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          // No data at all means no decisions (or no metrics): both need a human.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }
    add(
      new cloudwatch.Alarm(this, 'FeatureDrift', {
        alarmName: name('feature-drift'),
        alarmDescription: `A model feature drifted: PSI above ${config.alarms.driftPsi} for 30 minutes (retraining is queued by the API). Runbook: docs/runbook.md#feature-drift`,
        metric: appMetric(PROMETHEUS_METRICS.featurePsi, 'Maximum', Duration.minutes(15)),
        threshold: config.alarms.driftPsi,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'FairnessGap', {
        alarmName: name('fairness-gap'),
        alarmDescription: `The latest fairness audit found a price-index gap above ${config.alarms.fairnessGap * 100} % between segments. Runbook: docs/runbook.md#fairness-gap`,
        metric: appMetric(PROMETHEUS_METRICS.fairnessGap, 'Maximum', Duration.minutes(15)),
        threshold: config.alarms.fairnessGap,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    // --- What only AWS sees ----------------------------------------------------------------------------------
    add(
      new cloudwatch.Alarm(this, 'UnhealthyTargets', {
        alarmName: name('unhealthy-targets'),
        alarmDescription: 'A task failed its readiness check (/health/ready) for 5 minutes. Runbook: docs/runbook.md#unhealthy-targets',
        metric: props.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: minute }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'TooFewTasks', {
        alarmName: name('too-few-tasks'),
        alarmDescription: `Fewer than ${config.api.minCapacity} API tasks running for 5 minutes. Runbook: docs/runbook.md#too-few-tasks`,
        metric: new cloudwatch.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensionsMap: { ClusterName: props.cluster.clusterName, ServiceName: props.service.serviceName },
          statistic: 'Minimum',
          period: minute,
        }),
        threshold: config.api.minCapacity,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'DatabaseCpu', {
        alarmName: name('database-cpu'),
        alarmDescription: 'Database CPU above 80 % for 15 minutes. Runbook: docs/runbook.md#database-cpu',
        metric: props.database.metricCPUUtilization({ period: Duration.minutes(5) }),
        threshold: 80,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'DatabaseStorage', {
        alarmName: name('database-storage'),
        alarmDescription: 'Less than 10 % of the database storage ceiling is free. Runbook: docs/runbook.md#database-storage',
        metric: props.database.metricFreeStorageSpace({ statistic: 'Minimum', period: Duration.minutes(5) }),
        threshold: config.database.maxAllocatedStorageGiB * 0.1 * 1024 ** 3,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'NightlyJobNotStarted', {
        alarmName: name('nightly-job-not-started'),
        alarmDescription: 'EventBridge Scheduler could not start a nightly job (message in the dead-letter queue). Runbook: docs/runbook.md#nightly-job-failed',
        metric: props.jobDeadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    // A nightly job that started but exited non-zero (or was killed) is an event, not a metric.
    new events.Rule(this, 'NightlyJobFailed', {
      ruleName: name('nightly-job-failed'),
      description: 'A nightly Dynaprice job stopped with a non-zero exit code. Runbook: docs/runbook.md#nightly-job-failed',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          lastStatus: ['STOPPED'],
          group: props.jobFamilies.map((family) => `family:${family}`),
          containers: { exitCode: [{ 'anything-but': 0 }] },
        },
      },
      targets: [new eventTargets.SnsTopic(this.topic)],
    });

    if (config.alarms.rollbackOnAlarm) {
      // Literal names (the alarms are named above), so the service does not reference the alarm resources.
      props.service.enableDeploymentAlarms(
        [name('api-latency-p99'), name('api-5xx-rate')],
        { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      );
      for (const alarm of this.deploymentAlarms) props.service.node.addDependency(alarm);
    }
  }
}
