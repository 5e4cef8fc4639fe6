import { ConfigError, loadConfig } from '../config/app-config';

describe('models configuration', () => {
  it('keeps artifacts in the database in embedded mode, in a folder with PostgreSQL, in S3 with MODEL_BUCKET', () => {
    expect(loadConfig({}, '/srv/app').models).toMatchObject({ artifactStore: 'database', artifactDir: '/srv/app/data/artifacts', maxUploadBytes: 64 * 1024 * 1024, s3: null });
    const pg = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CUSTOMER_ID_HMAC_KEY: 'k'.repeat(32) };
    expect(loadConfig(pg, '/srv/app').models.artifactStore).toBe('file');
    const s3 = loadConfig({ ...pg, MODEL_BUCKET: 'dynaprice-models', AWS_REGION: 'eu-west-1', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }).models;
    expect(s3).toMatchObject({
      artifactStore: 's3',
      s3: { bucket: 'dynaprice-models', prefix: 'models/', region: 'eu-west-1', endpoint: null, containerCredentialsUrl: 'http://169.254.170.2/v2/credentials/abc' },
    });
  });

  it('has drift and retraining defaults, and turns scheduled retraining off for simulations unless asked', () => {
    expect(loadConfig({}).models).toMatchObject({
      drift: { psiThreshold: 0.2, windowHours: 24, minRows: 500, checkIntervalMs: 60_000 },
      retraining: { nightly: true, onDrift: true, worker: true, nightlyAtMinute: 120 },
    });
    expect(loadConfig({ SIMULATED_CLOCK: 'true' }).models.retraining).toMatchObject({ nightly: false, onDrift: false });
    expect(loadConfig({ SIMULATED_CLOCK: 'true', RETRAIN_NIGHTLY: 'yes', RETRAIN_NIGHTLY_AT: '23:45' }).models.retraining).toMatchObject({ nightly: true, nightlyAtMinute: 23 * 60 + 45 });
    expect(loadConfig({ PROTECTED_ATTRIBUTES: 'Age, Postcode Area' }).models.protectedAttributes).toEqual(['age', 'postcode_area']);
  });

  it.each([
    [{ MODEL_MAX_BYTES: '12 MB' }, 'MODEL_MAX_BYTES'],
    [{ MODEL_ARTIFACT_STORE: 'ftp' }, 'MODEL_ARTIFACT_STORE'],
    [{ MODEL_ARTIFACT_STORE: 's3' }, 'MODEL_BUCKET'],
    [{ MODEL_BUCKET: 'Not_A_Bucket', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, 'MODEL_BUCKET'],
    [{ MODEL_BUCKET: 'models', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, 'AWS_REGION'],
    [{ MODEL_BUCKET: 'models', AWS_REGION: 'eu-west-1' }, 'AWS_ACCESS_KEY_ID'],
    [{ MODEL_BUCKET: 'models', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a' }, 'AWS_SECRET_ACCESS_KEY'],
    [{ MODEL_BUCKET: 'models', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', MODEL_S3_ENDPOINT: 'ftp://x' }, 'MODEL_S3_ENDPOINT'],
    [{ DRIFT_PSI_THRESHOLD: '0' }, 'DRIFT_PSI_THRESHOLD'],
    [{ DRIFT_PSI_THRESHOLD: 'high' }, 'DRIFT_PSI_THRESHOLD'],
    [{ DRIFT_WINDOW_HOURS: '0' }, 'DRIFT_WINDOW_HOURS'],
    [{ RETRAIN_NIGHTLY: 'sometimes' }, 'RETRAIN_NIGHTLY'],
    [{ RETRAIN_NIGHTLY_AT: '25:00' }, 'RETRAIN_NIGHTLY_AT'],
    [{ PROTECTED_ATTRIBUTES: ' , ' }, 'PROTECTED_ATTRIBUTES'],
  ])('names the bad variable in %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
