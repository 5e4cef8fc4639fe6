import { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RestartOnRotationProps {
  readonly secret: secretsmanager.ISecret;
  readonly service: ecs.FargateService;
  readonly cluster: ecs.ICluster;
  readonly logRetention: logs.RetentionDays;
  readonly deadLetterQueue: sqs.IQueue;
}

/** Node.js runtime of the function below: the newest AWS Lambda offers in aws-cdk-lib 2.276. */
export const RESTART_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * ECS resolves secrets when a task starts, so after Secrets Manager rotates the database password the running
 * tasks hold a password that no longer opens new connections. When a rotation of the database secret succeeds,
 * this forces a new deployment of the API service: tasks are replaced one by one behind the load balancer,
 * each starting with the new password. (Rotation events come through CloudTrail: docs/runbook.md.)
 */
export class RestartOnRotation extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RestartOnRotationProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Forces a new deployment of the Dynaprice API after a database credential rotation',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:UpdateService', 'ecs:DescribeServices'], resources: [props.service.serviceArn] }));
    logGroup.grantWrite(role);

    this.function = new lambda.Function(this, 'Function', {
      runtime: RESTART_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      timeout: Duration.seconds(30),
      memorySize: 256,
      reservedConcurrentExecutions: 1,
      description: 'Dynaprice: redeploy the API with the rotated database password',
      environment: { CLUSTER: props.cluster.clusterName, SERVICE: props.service.serviceName },
      code: lambda.Code.fromInline(
        [
          "const { ECSClient, UpdateServiceCommand } = require('@aws-sdk/client-ecs');",
          'const ecs = new ECSClient({});',
          'exports.handler = async (event) => {',
          "  console.log(JSON.stringify({ msg: 'rotation succeeded, redeploying', secret: event?.detail?.additionalEventData?.SecretId }));",
          '  const out = await ecs.send(new UpdateServiceCommand({ cluster: process.env.CLUSTER, service: process.env.SERVICE, forceNewDeployment: true }));',
          "  console.log(JSON.stringify({ msg: 'deployment started', deployment: out.service?.deployments?.[0]?.id }));",
          '};',
        ].join('\n'),
      ),
    });

    this.rule = new events.Rule(this, 'RotationSucceeded', {
      description: 'Database secret rotated: redeploy the API so that every task uses the new password',
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS Service Event via CloudTrail'],
        detail: { eventName: ['RotationSucceeded'], additionalEventData: { SecretId: [props.secret.secretArn] } },
      },
      targets: [new eventTargets.LambdaFunction(this.function, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(1) })],
    });
  }
}
