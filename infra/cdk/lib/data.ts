import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATABASE_NAME, DATABASE_PORT, type EnvironmentConfig } from './config';

export interface DataProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
}

/**
 * State: the PostgreSQL database (credentials in Secrets Manager, rotated), the model-artifact bucket, and the
 * bucket that receives S3 server access logs and load-balancer access logs. One customer-managed key encrypts
 * the database, its secret, Performance Insights and the artifacts.
 */
export class Data extends Construct {
  readonly key: kms.Key;
  readonly database: rds.DatabaseInstance;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly artifacts: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, { config, vpc }: DataProps) {
    super(scope, id);
    const prefix = `dynaprice-${config.name}`;

    this.key = new kms.Key(this, 'DataKey', {
      description: `Dynaprice ${config.name}: database, secrets, model artifacts`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Access logs of the artifact bucket and of the load balancer. ELB log delivery only supports SSE-S3.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: false,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(config.name === 'prod' ? 365 : 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself: logging its own accesses into itself would loop; CloudTrail data events cover it if needed.',
    });

    this.artifacts = new s3.Bucket(this, 'ModelArtifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'model-artifacts/',
      lifecycleRules: [
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: config.artifacts.noncurrentVersionExpiration },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: config.artifacts.removalPolicy,
    });

    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'PostgreSQL: reachable only from the API tasks, the nightly jobs and the rotation function',
      allowAllOutbound: false,
    });

    const instanceIdentifier = prefix;
    // RDS writes to these groups; creating them here sets their retention without a log-retention Lambda.
    for (const log of ['postgresql', 'upgrade']) {
      new logs.LogGroup(this, `DatabaseLog-${log}`, {
        logGroupName: `/aws/rds/instance/${instanceIdentifier}/${log}`,
        retention: config.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      description: 'Dynaprice PostgreSQL parameters',
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: '500',
        log_connections: '1',
        log_disconnections: '1',
      },
    });

    this.database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: new ec2.InstanceType(config.database.instanceType),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.databaseSecurityGroup],
      port: DATABASE_PORT,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('dynaprice', {
        secretName: `${prefix}/database`,
        encryptionKey: this.key,
        // Characters that would need escaping in a URL or a libpq connection string.
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
      }),
      parameterGroup,
      multiAz: config.database.multiAz,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: config.database.allocatedStorageGiB,
      maxAllocatedStorage: config.database.maxAllocatedStorageGiB,
      backupRetention: config.database.backupRetention,
      preferredBackupWindow: '01:00-01:30',
      preferredMaintenanceWindow: 'sun:05:00-sun:05:30',
      deletionProtection: config.database.deletionProtection,
      removalPolicy: config.database.removalPolicy,
      publiclyAccessible: false,
      iamAuthentication: true,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      enablePerformanceInsights: config.database.performanceInsights,
      performanceInsightEncryptionKey: config.database.performanceInsights ? this.key : undefined,
    });
    if (!config.database.multiAz) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: 'dev only: a single-AZ instance halves the cost of an environment without production traffic; prod is Multi-AZ (asserted in infra/cdk/test).',
      });
    }
    if (!config.database.deletionProtection) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: 'dev only: the dev database is disposable (removal takes a final snapshot); prod has deletion protection (asserted in infra/cdk/test).',
      });
    }

    // Rotation runs in the VPC (the database has no public endpoint); the construct opens the security group.
    this.database.addRotationSingleUser({
      automaticallyAfter: config.database.rotateEvery,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
    });
  }
}
