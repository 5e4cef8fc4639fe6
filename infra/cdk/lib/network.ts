import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';

/**
 * A VPC over two availability zones: public subnets hold only the NAT gateways; the load balancer, the API
 * Gateway VPC link, the tasks and the rotation function live in private subnets; the database in isolated ones.
 * The stack is environment-agnostic, so the two AZs are `Fn::GetAZs` picks resolved at deploy time (no lookup).
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      maxAzs: 2,
      natGateways: config.natGateways,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        // Model artifacts and image layers (ECR stores them in S3) stay off the NAT gateways.
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: config.logRetention });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
