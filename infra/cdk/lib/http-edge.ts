import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpAlbIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';

export interface HttpEdgeProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly listener: elbv2.IApplicationListener;
}

/**
 * The public entry point: an API Gateway HTTP API (TLS, stage throttling, per-route throttling of the POS
 * routes, JSON access logs) forwarding through a VPC link to the internal load balancer.
 *
 * Per-key quotas: HTTP APIs have no usage plans. Callers authenticate with the API's own keys (stored hashed,
 * SPEC §10) and the API rate-limits per key (@fastify/rate-limit); the gateway caps each POS route as a whole,
 * so one runaway till cannot take the console or the other routes down with it.
 */
export class HttpEdge extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly vpcLinkSecurityGroup: ec2.SecurityGroup;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, { config, vpc, listener }: HttpEdgeProps) {
    super(scope, id);

    this.vpcLinkSecurityGroup = new ec2.SecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpc,
      description: 'API Gateway VPC link to the internal load balancer',
      allowAllOutbound: false,
    });
    listener.connections.allowFrom(this.vpcLinkSecurityGroup, ec2.Port.tcp(80), 'API Gateway VPC link');
    const vpcLink = new apigwv2.VpcLink(this, 'VpcLink', {
      vpc,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.vpcLinkSecurityGroup],
    });
    const integration = new HttpAlbIntegration('Alb', listener, { vpcLink });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `dynaprice-${config.name}`,
      description: 'Dynaprice pricing API',
      createDefaultStage: false,
      defaultIntegration: integration,
    });
    // Explicit routes for the POS calls, so that each one can carry its own throttle.
    for (const route of config.api.posRoutes) {
      this.httpApi.addRoutes({ path: route.path, methods: [apigwv2.HttpMethod[route.method]], integration });
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: config.logRetention });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: { rateLimit: config.api.stageRateLimit, burstLimit: config.api.stageBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            responseLength: '$context.responseLength',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      config.api.posRoutes.map((route) => [`${route.method} ${route.path}`, { ThrottlingRateLimit: route.rateLimit, ThrottlingBurstLimit: route.burstLimit }]),
    );
    // CloudFormation passes RouteSettings through as JSON: PascalCase keys, like the other stage properties.
    // Route settings name routes that must exist before the stage references them.
    for (const child of this.httpApi.node.children) {
      if (child instanceof apigwv2.HttpRoute) this.stage.node.addDependency(child);
    }

    for (const child of this.httpApi.node.findAll()) {
      if (child instanceof apigwv2.HttpRoute) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'Authorisation is the API\'s: API keys (stored hashed) and sign-in, checked against one permission matrix and audited (SPEC §10). A gateway authoriser would duplicate it and add a hop to the pricing hot path.',
        });
      }
    }
  }

  get url(): string {
    return this.stage.url;
  }
}
