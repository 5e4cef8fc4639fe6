// The CI/CD workflows, checked offline: each file against a strict JSON Schema of GitHub's workflow syntax
// (infra/ci/workflow.schema.json), a few actionlint-style rules, and the jobs and steps the pipeline needs.
// On GitHub, the pull-request workflow also runs actionlint itself.
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const workflowsDir = join(root, '.github', 'workflows');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
}
interface Job {
  name?: string;
  needs?: string | string[];
  uses?: string;
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[]; options?: string }>;
  outputs?: Record<string, string>;
  'timeout-minutes'?: number;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file)).sort();
const workflows = Object.fromEntries(files.map((file) => [file, load(readFileSync(join(workflowsDir, file), 'utf8')) as Workflow]));
const schema = JSON.parse(readFileSync(join(root, 'infra', 'ci', 'workflow.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const environmentOf = (job: Job): string | undefined => (typeof job.environment === 'string' ? job.environment : job.environment?.name);
const steps = (job: Job): Step[] => job.steps ?? [];
const runs = (job: Job): string => steps(job).map((step) => step.run ?? '').join('\n');
const usesOf = (job: Job): string[] => steps(job).flatMap((step) => (step.uses ? [step.uses] : []));

it('has the pull-request, main and rollback workflows', () => {
  expect(files).toEqual(['main.yml', 'pull-request.yml', 'rollback.yml']);
});

it('the schema rejects what GitHub would reject or silently ignore', () => {
  const good: Workflow = { name: 'x', on: { push: { branches: ['main'] } }, permissions: { contents: 'read' }, jobs: { a: { 'timeout-minutes': 5, steps: [{ run: 'true' }] } } };
  expect(validate({ ...good, jobs: { a: { ...good.jobs['a'], 'runs-on': 'ubuntu-24.04' } } })).toBe(true);
  // missing runs-on, misspelt key, step with both uses and run, unpinned action, bad permission level
  expect(validate(good)).toBe(false);
  expect(validate({ ...good, jobs: { a: { 'runs-on': 'x', steps: [{ run: 'true' }], 'timeout-minute': 5 } } })).toBe(false);
  expect(validate({ ...good, jobs: { a: { 'runs-on': 'x', steps: [{ run: 'true', uses: 'actions/checkout@v4' }] } } })).toBe(false);
  expect(validate({ ...good, jobs: { a: { 'runs-on': 'x', steps: [{ uses: 'actions/checkout' }] } } })).toBe(false);
  expect(validate({ ...good, permissions: { contents: 'admin' } })).toBe(false);
  expect(validate({ ...good, on: { pull_requests: null } })).toBe(false);
});

describe.each(files)('%s', (file) => {
  const workflow = workflows[file]!;

  it('matches the workflow schema', () => {
    const valid = validate(workflow);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('only needs jobs that exist, without cycles', () => {
    const jobs = Object.keys(workflow.jobs);
    for (const [id, job] of Object.entries(workflow.jobs)) {
      for (const need of needsOf(job)) expect({ job: id, needs: need, exists: jobs.includes(need) }).toEqual({ job: id, needs: need, exists: true });
    }
    const visiting = new Set<string>();
    const visit = (id: string, depth: number): void => {
      expect(depth).toBeLessThan(jobs.length + 1);
      visiting.add(id);
      for (const need of needsOf(workflow.jobs[id]!)) visit(need, depth + 1);
    };
    for (const id of jobs) visit(id, 0);
  });

  it('pins every action to a version and every image to a tag', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const uses of usesOf(job)) expect(uses).toMatch(/^(\.\/|[\w.-]+\/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$)/);
      for (const service of Object.values(job.services ?? {})) expect(service.image).toMatch(/:[\w.-]+$/);
      expect(runs(job)).not.toMatch(/docker run[^\n]*:latest/);
    }
  });

  it('keeps untrusted or free-text values out of shell scripts (passed through env instead)', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of steps(job)) {
        expect(step.run ?? '').not.toMatch(/\$\{\{\s*(github\.event\.|inputs\.|github\.head_ref)/);
      }
    }
  });

  it('grants least privilege: read-only by default, OIDC tokens only where AWS is used', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(workflow.jobs)) {
      const awsUsed = usesOf(job).some((uses) => uses.startsWith('aws-actions/configure-aws-credentials'));
      expect(job.permissions?.['id-token'] === 'write').toBe(awsUsed);
      if (awsUsed) expect(environmentOf(job)).toBeDefined();
      if (!job.uses) expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  it('uses AWS through OpenID Connect only (no access keys)', () => {
    const text = readFileSync(join(workflowsDir, file), 'utf8');
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });

  it('calls scripts that exist and are executable', () => {
    const text = readFileSync(join(workflowsDir, file), 'utf8');
    for (const [, script] of text.matchAll(/(infra\/[\w/.-]+\.(?:sh|mjs))/g)) {
      const path = join(root, script!);
      expect({ script, exists: existsSync(path) }).toEqual({ script, exists: true });
      accessSync(path, constants.X_OK);
    }
  });
});

describe('pull-request.yml', () => {
  const workflow = workflows['pull-request.yml']!;

  it('runs on pull requests to main and can be called by main.yml', () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ['main'] }, workflow_call: null });
  });

  it('lints and type-checks the workspace and the CDK app', () => {
    const script = runs(workflow.jobs['lint']!);
    expect(script).toMatch(/npm ci/);
    expect(script).toMatch(/npm run lint/);
    expect(script).toMatch(/npm run typecheck/);
    expect(script).toMatch(/tsc -p infra\/cdk\/tsconfig\.json --noEmit/);
  });

  it('tests on PGlite and on a PostgreSQL service container', () => {
    const job = workflow.jobs['test']!;
    const postgres = job.services!['postgres']!;
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(postgres.ports).toEqual(['5432:5432']);
    expect(postgres.options).toMatch(/--health-cmd/);
    const database = steps(job).find((step) => step.env?.['DATABASE_URL'])!;
    expect(database.run).toBe('npm test -- --project api');
    expect(String(database.env!['DATABASE_URL'])).toMatch(/^postgres:\/\/postgres:postgres@localhost:5432\/test$/);
    expect(runs(job)).toMatch(/^npm test$/m);
  });

  it('builds, measures the image, builds and checks the image, synthesises the CDK app', () => {
    const job = workflow.jobs['build']!;
    expect(runs(job)).toMatch(/npm run build/);
    expect(runs(job)).toMatch(/node infra\/docker\/image-size\.mjs/);
    const build = steps(job).find((step) => step.uses?.startsWith('docker/build-push-action'))!;
    expect(build.with).toMatchObject({ file: 'infra/docker/Dockerfile', push: false, load: true });
    expect(runs(job)).toMatch(/bash infra\/docker\/check-image\.sh/);
    const synth = steps(job).find((step) => step.run?.includes('cdk synth'))!;
    expect(synth['working-directory']).toBe('infra/cdk');
    expect(synth.env).toMatchObject({ CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' });
    expect(synth.run).toMatch(/--no-notices/);
    expect(usesOf(job)).toContain('actions/upload-artifact@v4');
  });

  it('lints the workflow files with actionlint', () => {
    expect(runs(workflow.jobs['workflows']!)).toMatch(/rhysd\/actionlint:\d+\.\d+\.\d+/);
  });
});

describe('main.yml', () => {
  const workflow = workflows['main.yml']!;
  const jobs = workflow.jobs;

  it('runs on push to main, one deployment at a time', () => {
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    expect(workflow.concurrency).toEqual({ group: 'deploy-main', 'cancel-in-progress': false });
  });

  it('re-runs the pull-request checks first', () => {
    expect(jobs['checks']).toEqual({ uses: './.github/workflows/pull-request.yml' });
  });

  it('builds, checks and pushes the image to ECR tagged with the commit SHA', () => {
    const job = jobs['image']!;
    expect(needsOf(job)).toEqual(['checks']);
    expect(workflow.env).toMatchObject({ IMAGE_TAG: '${{ github.sha }}', REPOSITORY: 'dynaprice/api' });
    expect(usesOf(job)).toEqual(expect.arrayContaining(['aws-actions/configure-aws-credentials@v4', 'aws-actions/amazon-ecr-login@v2', 'docker/build-push-action@v6']));
    const build = steps(job).find((step) => step.uses?.startsWith('docker/build-push-action'))!;
    expect(String(build.with!['tags'])).toMatch(/:\$\{\{ env\.IMAGE_TAG \}\}$/);
    expect(runs(job)).toMatch(/check-image\.sh/);
    expect(runs(job)).toMatch(/docker push "\$IMAGE"/);
  });

  it('deploys to dev, then to prod behind the prod environment (manual approval)', () => {
    expect(needsOf(jobs['deploy-dev']!)).toEqual(['image']);
    expect(environmentOf(jobs['deploy-dev']!)).toBe('dev');
    expect(needsOf(jobs['deploy-prod']!)).toEqual(['deploy-dev']);
    expect(environmentOf(jobs['deploy-prod']!)).toBe('prod');
    expect(runs(jobs['deploy-dev']!)).toMatch(/infra\/ci\/deploy\.sh dev "\$IMAGE_TAG"/);
    expect(runs(jobs['deploy-prod']!)).toMatch(/infra\/ci\/deploy\.sh prod "\$IMAGE_TAG"/);
  });

  it('promotes the very image dev ran instead of rebuilding it for prod', () => {
    const script = runs(jobs['deploy-prod']!);
    expect(script).toMatch(/docker pull/);
    expect(script).toMatch(/docker push "\$TO"/);
    expect(script).not.toMatch(/docker build/);
    expect(usesOf(jobs['deploy-prod']!)).not.toContain('docker/build-push-action@v6');
  });
});

describe('rollback.yml', () => {
  const workflow = workflows['rollback.yml']!;
  const job = workflow.jobs['rollback']!;

  it('is started by hand with an environment, an image tag and a reason', () => {
    const dispatch = workflow.on['workflow_dispatch'] as { inputs: Record<string, { type: string; required: boolean; options?: string[] }> };
    expect(dispatch.inputs['environment']).toMatchObject({ type: 'choice', required: true, options: ['dev', 'prod'] });
    expect(dispatch.inputs['image_tag']).toMatchObject({ type: 'string', required: true });
    expect(dispatch.inputs['reason']).toMatchObject({ required: true });
  });

  it('redeploys the given tag through the same deploy script, in the chosen environment', () => {
    expect(environmentOf(job)).toBe('${{ inputs.environment }}');
    const deploy = steps(job).find((step) => step.id === 'deploy')!;
    expect(deploy.run).toBe('bash infra/ci/deploy.sh "$ENVIRONMENT" "$TAG"');
    expect(deploy.env).toEqual({ ENVIRONMENT: '${{ inputs.environment }}', TAG: '${{ inputs.image_tag }}' });
    expect(runs(job)).toMatch(/\^\[0-9a-f\]\{40\}\$/);
  });

  it('shares the deployment concurrency group so it never races a deployment', () => {
    expect(workflow.concurrency).toEqual(workflows['main.yml']!.concurrency);
  });
});

describe('infra/ci/deploy.sh', () => {
  const script = readFileSync(join(root, 'infra', 'ci', 'deploy.sh'), 'utf8');

  it('refuses unknown environments, non-SHA tags and images missing from ECR', () => {
    expect(script).toMatch(/case "\$environment" in dev \| prod\)/);
    expect(script).toMatch(/\^\[0-9a-f\]\{7,40\}\$/);
    expect(script).toMatch(/aws ecr describe-images/);
  });

  it('deploys with the tag, waits for a stable service running that image, and checks /health/ready', () => {
    expect(script).toMatch(/cdk deploy "\$stack" --require-approval never --no-notices -c imageTag="\$tag"/);
    expect(script).toMatch(/aws ecs wait services-stable/);
    expect(script).toMatch(/\*":\$tag"/);
    expect(script).toMatch(/\/health\/ready/);
  });
});
