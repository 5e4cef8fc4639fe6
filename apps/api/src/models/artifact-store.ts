import { sha256Hex } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ArtifactStoreKind, ModelsConfig } from './models-config';
import { credentialSource, S3Client } from './s3-client';

/**
 * Where model artifacts (ONNX bytes) live, addressed by their SHA-256: writing the same bytes twice is
 * harmless, and every read is checked against the hash. The `database` store keeps the bytes in the
 * model_versions row itself (embedded mode); the others record a URI there.
 */
export interface ArtifactStore {
  readonly kind: ArtifactStoreKind;
  /** Stores the bytes (idempotent); returns the URI to record, or null when the row holds the bytes. */
  put(sha256: string, bytes: Uint8Array): Promise<string | null>;
  /** The bytes recorded at `uri`, checked against `sha256`. */
  get(sha256: string, uri: string): Promise<Uint8Array>;
}

export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

const SHA256 = /^[0-9a-f]{64}$/;

function checked(sha256: string, bytes: Uint8Array, where: string): Uint8Array {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new DomainError('UNAVAILABLE', `the artifact at ${where} is corrupted: its sha256 is ${actual}, expected ${sha256}`);
  return bytes;
}

/** Embedded mode: the bytes go into model_versions.artifact. */
export class DatabaseArtifactStore implements ArtifactStore {
  readonly kind = 'database' as const;

  put(): Promise<null> {
    return Promise.resolve(null);
  }

  get(_sha256: string, uri: string): Promise<Uint8Array> {
    return Promise.reject(new DomainError('UNAVAILABLE', `the artifact is stored at ${uri}, but this instance keeps artifacts in the database (set MODEL_ARTIFACT_STORE)`));
  }
}

/** A folder: `<dir>/<sha[0..2]>/<sha>.onnx`, written atomically and read-only once written. */
export class FileArtifactStore implements ArtifactStore {
  readonly kind = 'file' as const;

  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw DomainError.validation('sha256', 'must be 64 hex digits');
    return join(this.dir, sha256.slice(0, 2), `${sha256}.onnx`);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const path = this.pathOf(sha256);
    const uri = pathToFileURL(path).href;
    if (await this.holds(path, sha256)) return uri;
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(partial, bytes, { mode: 0o444 });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw new DomainError('UNAVAILABLE', `cannot write the artifact to ${this.dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await chmod(path, 0o444).catch(() => undefined);
    return uri;
  }

  async get(sha256: string, uri: string): Promise<Uint8Array> {
    // The recorded path, else the same hash in this store's folder (the folder may have moved).
    const recorded = uri.startsWith('file:') ? fileURLToPath(uri) : null;
    for (const path of [recorded, this.pathOf(sha256)]) {
      if (!path) continue;
      try {
        return checked(sha256, new Uint8Array(await readFile(path)), path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new DomainError('UNAVAILABLE', `the artifact ${uri} is missing from ${this.dir}`);
  }

  private async holds(path: string, sha256: string): Promise<boolean> {
    try {
      if (!(await stat(path)).isFile()) return false;
      checked(sha256, new Uint8Array(await readFile(path)), path);
      return true;
    } catch {
      // Missing or corrupted: (re)write it.
      await rm(path, { force: true }).catch(() => undefined);
      return false;
    }
  }
}

/** An S3 bucket: `s3://<bucket>/<prefix><sha>.onnx`. */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
  ) {}

  keyOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw DomainError.validation('sha256', 'must be 64 hex digits');
    return `${this.prefix}${sha256}.onnx`;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const key = this.keyOf(sha256);
    await this.client.putObject(this.bucket, key, bytes, sha256);
    return `s3://${this.bucket}/${key}`;
  }

  async get(sha256: string, uri: string): Promise<Uint8Array> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    const [bucket, key] = match ? [match[1] as string, match[2] as string] : [this.bucket, this.keyOf(sha256)];
    try {
      return checked(sha256, await this.client.getObject(bucket, key), uri);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new DomainError('UNAVAILABLE', `the artifact ${uri} is missing from S3`);
      throw error;
    }
  }
}

/** The store the configuration names. */
export function createArtifactStore(config: ModelsConfig, fetchImpl?: typeof fetch): ArtifactStore {
  switch (config.artifactStore) {
    case 'database':
      return new DatabaseArtifactStore();
    case 'file':
      return new FileArtifactStore(config.artifactDir);
    case 's3': {
      const s3 = config.s3;
      if (!s3) throw new DomainError('UNAVAILABLE', 'MODEL_ARTIFACT_STORE=s3 needs MODEL_BUCKET');
      const client = new S3Client({ region: s3.region, endpoint: s3.endpoint, credentials: credentialSource({ ...s3, fetch: fetchImpl }), fetch: fetchImpl });
      return new S3ArtifactStore(client, s3.bucket, s3.prefix);
    }
  }
}
