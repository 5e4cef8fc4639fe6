import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, REGISTRY_STACK, stackName } from '../lib/app';

export const TEST_IMAGE_TAG = '0123456789abcdef0123456789abcdef01234567';

export interface Synthesised {
  readonly dev: Template;
  readonly prod: Template;
  readonly registry: Template;
  /** Raw templates, for checks the assertions library does not express (metadata, whole-template scans). */
  readonly json: Record<'dev' | 'prod' | 'registry', Record<string, unknown>>;
}

/**
 * Synthesises the whole app once, offline, exactly as `cdk synth` does (cdk-nag included: a finding without an
 * acknowledgment makes `app.synth()` throw). Templates are read from the cloud assembly rather than through
 * `Template.fromStack`, which would synthesise again for every stack.
 */
export function synthesise(): Synthesised {
  const outdir = mkdtempSync(join(tmpdir(), 'dynaprice-cdk-'));
  try {
    const { app } = buildApp({ imageTag: TEST_IMAGE_TAG, outdir });
    const assembly = app.synth();
    const template = (name: string) => assembly.getStackByName(name).template as Record<string, unknown>;
    const json = { dev: template(stackName('dev')), prod: template(stackName('prod')), registry: template(REGISTRY_STACK) };
    return { dev: Template.fromJSON(json.dev), prod: Template.fromJSON(json.prod), registry: Template.fromJSON(json.registry), json };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

export function resources(template: Record<string, unknown>): Resources {
  return template['Resources'] as Resources;
}

/** Logical ids of the resources of one type. */
export function logicalIds(template: Record<string, unknown>, type: string): string[] {
  return Object.entries(resources(template))
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}
