import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** A route of the HTTP API with its own throttle (POS traffic), as `METHOD /path` like API Gateway's route keys. */
export interface ThrottledRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Steady-state requests per second for this route, across all callers. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** A nightly job: one CLI command in its own Fargate task, started by EventBridge Scheduler. */
export interface NightlyJob {
  /** Construct id and schedule name suffix. */
  readonly id: string;
  readonly description: string;
  /** Arguments after `node bin/dynaprice.js`. */
  readonly command: readonly string[];
  /** Local time in `jobsTimeZone`, 24 h. */
  readonly hour: number;
  readonly minute: number;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
}

/** Everything that differs between dev and prod. Stacks stay environment-agnostic (no account/region lookups). */
export interface EnvironmentConfig {
  readonly name: 'dev' | 'prod';
  readonly vpcCidr: string;
  /** One NAT gateway is cheaper; one per AZ survives an AZ outage. */
  readonly natGateways: 1 | 2;
  readonly api: {
    readonly cpu: number;
    readonly memoryLimitMiB: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly cpuTargetPercent: number;
    /** ALBRequestCountPerTarget target: requests per task per minute. */
    readonly requestsPerTargetPerMinute: number;
    readonly logLevel: 'info' | 'debug' | 'warn';
    /** Stage-wide API Gateway throttle (all routes, all callers). */
    readonly stageRateLimit: number;
    readonly stageBurstLimit: number;
    /** POS routes get their own, tighter throttle so a misbehaving till cannot starve the console. */
    readonly posRoutes: readonly ThrottledRoute[];
  };
  readonly database: {
    /** RDS instance class, e.g. `t4g.micro`. */
    readonly instanceType: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetention: Duration;
    readonly removalPolicy: RemovalPolicy;
    readonly performanceInsights: boolean;
    /** Secrets Manager rotation period of the database credentials. */
    readonly rotateEvery: Duration;
  };
  readonly artifacts: {
    /** Old (non-current) versions of model artifacts are kept this long after being replaced. */
    readonly noncurrentVersionExpiration: Duration;
    readonly removalPolicy: RemovalPolicy;
  };
  readonly logRetention: RetentionDays;
  readonly alarms: {
    /** Email subscribed to the alarm topic; none means "subscribe by hand" (e.g. a chat integration). */
    readonly email?: string;
    readonly latencyP99Ms: number;
    readonly errorRatePercent: number;
    /** Alarm when no price decision was made for this long; undefined turns it off (dev has no traffic). */
    readonly noDecisionsFor?: Duration;
    readonly driftPsi: number;
    readonly fairnessGap: number;
    /** Roll a deployment back automatically when the latency or error alarm fires during it. */
    readonly rollbackOnAlarm: boolean;
  };
  readonly jobsTimeZone: string;
  readonly jobs: readonly NightlyJob[];
}

/** The pricing hot path and the POS feeds (SPEC §1, §5): the routes tills and label printers call. */
function posRoutes(scale: number): ThrottledRoute[] {
  return [
    { method: 'POST', path: '/v1/prices', rateLimit: 500 * scale, burstLimit: 1000 * scale },
    { method: 'POST', path: '/v1/stores/{storeId}/reprice', rateLimit: 5 * scale, burstLimit: 10 * scale },
    { method: 'POST', path: '/v1/sales', rateLimit: 200 * scale, burstLimit: 400 * scale },
    { method: 'POST', path: '/v1/waste', rateLimit: 50 * scale, burstLimit: 100 * scale },
  ];
}

function nightlyJobs(memoryLimitMiB: number): NightlyJob[] {
  return [
    {
      id: 'Retrain',
      description: 'Nightly retraining: the new model version enters as challenger (SPEC §6)',
      command: ['jobs', 'retrain'],
      hour: 2,
      minute: 0,
      cpu: 2048,
      memoryLimitMiB,
    },
    {
      id: 'FairnessAudit',
      description: 'Nightly fairness audit of offered and paid prices (SPEC §8)',
      command: ['jobs', 'fairness-audit'],
      hour: 4,
      minute: 30,
      cpu: 1024,
      memoryLimitMiB: 2048,
    },
  ];
}

export const DEV: EnvironmentConfig = {
  name: 'dev',
  vpcCidr: '10.40.0.0/16',
  natGateways: 1,
  api: {
    cpu: 512,
    memoryLimitMiB: 1024,
    minCapacity: 1,
    maxCapacity: 2,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 6000,
    logLevel: 'debug',
    stageRateLimit: 100,
    stageBurstLimit: 200,
    posRoutes: posRoutes(0.1),
  },
  database: {
    instanceType: 't4g.micro',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    deletionProtection: false,
    backupRetention: Duration.days(1),
    removalPolicy: RemovalPolicy.SNAPSHOT,
    performanceInsights: false,
    rotateEvery: Duration.days(30),
  },
  artifacts: { noncurrentVersionExpiration: Duration.days(30), removalPolicy: RemovalPolicy.RETAIN },
  logRetention: RetentionDays.TWO_WEEKS,
  alarms: {
    latencyP99Ms: 500,
    errorRatePercent: 1,
    noDecisionsFor: undefined,
    driftPsi: 0.2,
    fairnessGap: 0.02,
    rollbackOnAlarm: false,
  },
  jobsTimeZone: 'Etc/UTC',
  jobs: nightlyJobs(4096),
};

export const PROD: EnvironmentConfig = {
  name: 'prod',
  vpcCidr: '10.50.0.0/16',
  natGateways: 2,
  api: {
    cpu: 1024,
    memoryLimitMiB: 2048,
    minCapacity: 2,
    maxCapacity: 10,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 12000,
    logLevel: 'info',
    stageRateLimit: 2000,
    stageBurstLimit: 4000,
    posRoutes: posRoutes(1),
  },
  database: {
    instanceType: 'm7g.large',
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    multiAz: true,
    deletionProtection: true,
    backupRetention: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
    performanceInsights: true,
    rotateEvery: Duration.days(30),
  },
  artifacts: { noncurrentVersionExpiration: Duration.days(365), removalPolicy: RemovalPolicy.RETAIN },
  logRetention: RetentionDays.THREE_MONTHS,
  alarms: {
    latencyP99Ms: 500,
    errorRatePercent: 1,
    noDecisionsFor: Duration.minutes(15),
    driftPsi: 0.2,
    fairnessGap: 0.02,
    rollbackOnAlarm: true,
  },
  jobsTimeZone: 'Etc/UTC',
  jobs: nightlyJobs(8192),
};

export const ENVIRONMENTS: Readonly<Record<EnvironmentConfig['name'], EnvironmentConfig>> = { dev: DEV, prod: PROD };

/** The container port of the API (PORT in apps/api/src/config/app-config.ts). */
export const API_PORT = 3000;
/** Port of the API's credential-free /metrics listener, for the in-task scraper only. */
export const METRICS_PORT = 9464;
/** Non-default PostgreSQL port: one less thing a scanner guesses (the database is private anyway). */
export const DATABASE_PORT = 5433;
export const DATABASE_NAME = 'dynaprice';
/** ECR repository holding the API image, shared by the environments of one account. */
export const REPOSITORY_NAME = 'dynaprice/api';

/**
 * Prometheus series the API exposes on /metrics (SPEC §10) that the CloudWatch agent sidecar forwards as
 * CloudWatch metrics, so that alarms mirror the Prometheus alert rules of infra/monitoring.
 */
export const PROMETHEUS_METRICS = {
  /** New decisions (apps/api/src/pricing/pricing-metrics.ts). */
  decisions: 'dynaprice_decisions_total',
  /**
   * Priced basket lines, new or reused. The "no decisions" alarm watches this one: a decision is reused until
   * something that priced it changes (SPEC §5.7), so a quiet store can serve prices for hours without a new one.
   */
  pricedLines: 'dynaprice_decision_lines_total',
  /** Coming with drift monitoring and fairness audits (SPEC §8, §10); names to keep in step with infra/monitoring. */
  featurePsi: 'dynaprice_feature_psi',
  fairnessGap: 'dynaprice_fairness_gap',
} as const;
