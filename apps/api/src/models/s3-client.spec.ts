import { DomainError } from '@dynaprice/kernel';
import { canonicalRequest, credentialSource, EMPTY_SHA256, encodePath, S3Client, signRequest } from './s3-client';

describe(signRequest.name, () => {
  it('reproduces the AWS documentation example "GET Object" (Signature Version 4, S3)', () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, example credentials.
    const headers = signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256 },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      { region: 'us-east-1', service: 's3', now: new Date('2013-05-24T00:00:00Z') },
    );
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers).toMatchObject({ host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY_SHA256 });
  });

  it('signs the session token and sorts query parameters', () => {
    const request = { method: 'GET', url: new URL('http://127.0.0.1:9000/b/k?z=1&a=2'), headers: {}, payloadHash: EMPTY_SHA256 };
    const headers = signRequest(request, { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' }, { region: 'eu-west-1', service: 's3', now: new Date('2026-03-01T12:00:00Z') });
    expect(headers['x-amz-security-token']).toBe('T');
    expect(headers['authorization']).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    expect(canonicalRequest(request, { host: '127.0.0.1:9000' }).text.split('\n')[2]).toBe('a=2&z=1');
  });
});

describe(encodePath.name, () => {
  it('encodes each key segment once, keeping the slashes', () => {
    expect(encodePath('models/a b/test$file.text')).toBe('models/a%20b/test%24file.text');
    expect(encodePath('models/a%20b')).toBe('models/a%20b');
  });
});

describe(credentialSource.name, () => {
  it('uses static credentials when they are set', async () => {
    const source = credentialSource({ accessKeyId: 'A', secretAccessKey: 'S', sessionToken: null, containerCredentialsUrl: 'http://x', containerAuthorizationToken: null });
    expect(await source()).toMatchObject({ accessKeyId: 'A', secretAccessKey: 'S' });
  });

  it('fetches task-role credentials with the authorization token, shares one fetch, and refetches near expiry', async () => {
    const calls: Array<string | undefined> = [];
    let lifetime = 60_000;
    const fakeFetch = (async (_url: string, init?: { headers?: Record<string, string> }) => {
      calls.push(init?.headers?.['authorization']);
      return new Response(JSON.stringify({ AccessKeyId: `K${calls.length}`, SecretAccessKey: 'S', Token: 'T', Expiration: new Date(Date.now() + lifetime).toISOString() }));
    }) as unknown as typeof fetch;
    const source = credentialSource({ accessKeyId: null, secretAccessKey: null, sessionToken: null, containerCredentialsUrl: 'http://169.254.170.2/v2/credentials/x', containerAuthorizationToken: 'tok', fetch: fakeFetch });
    expect((await Promise.all([source(), source()])).map((c) => c.accessKeyId)).toEqual(['K1', 'K1']);
    // K1 expires within five minutes: refreshed.
    lifetime = 3_600_000;
    expect((await source()).accessKeyId).toBe('K2');
    expect((await source()).accessKeyId).toBe('K2');
    expect(calls).toEqual(['tok', 'tok']);
  });

  it('refuses to work without any credentials', () => {
    expect(() => credentialSource({ accessKeyId: null, secretAccessKey: null, sessionToken: null, containerCredentialsUrl: null, containerAuthorizationToken: null })).toThrow(DomainError);
  });
});

describe(S3Client.name, () => {
  it('addresses AWS buckets virtual-hosted, dotted buckets and custom endpoints path-style', () => {
    const credentials = () => Promise.resolve({ accessKeyId: 'A', secretAccessKey: 'S' });
    const aws = new S3Client({ region: 'eu-west-1', endpoint: null, credentials });
    expect(aws.objectUrl('models', 'p/x.onnx').href).toBe('https://models.s3.eu-west-1.amazonaws.com/p/x.onnx');
    expect(aws.objectUrl('my.models', 'x.onnx').href).toBe('https://s3.eu-west-1.amazonaws.com/my.models/x.onnx');
    expect(new S3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000', credentials }).objectUrl('models', 'x.onnx').href).toBe('http://127.0.0.1:9000/models/x.onnx');
  });

  it('says NOT_FOUND for a missing object and gives up on a 403 at once', async () => {
    let calls = 0;
    const answer = (status: number, code: string) =>
      (async () => {
        calls++;
        return new Response(`<Error><Code>${code}</Code><Message>m</Message></Error>`, { status });
      }) as unknown as typeof fetch;
    const credentials = () => Promise.resolve({ accessKeyId: 'A', secretAccessKey: 'S' });
    await expect(new S3Client({ region: 'eu-west-1', endpoint: 'http://s3', credentials, fetch: answer(404, 'NoSuchKey') }).getObject('b', 'k')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    calls = 0;
    await expect(new S3Client({ region: 'eu-west-1', endpoint: 'http://s3', credentials, fetch: answer(403, 'AccessDenied') }).getObject('b', 'k')).rejects.toThrow('S3 GET s3://b/k: 403 AccessDenied (m)');
    expect(calls).toBe(1);
  });
});
