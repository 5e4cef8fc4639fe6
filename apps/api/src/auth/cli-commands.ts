import type { INestApplicationContext } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../common/validation';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { CreateUserDto } from './dto/user.dto';
import { ROLES } from './permissions';
import { normaliseEmail, UsersService } from './users.service';

/** Bad input: one line, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export type CliValues = Record<string, string | boolean | undefined>;

export interface CliContext {
  values: CliValues;
  io: CliStreams;
  env: Readonly<Record<string, string | undefined>>;
  /** Opens the application context (configuration, database, migrations) on first use. */
  app(): Promise<INestApplicationContext>;
}

/** One `dynaprice <group> <action>` command that needs the API's database. */
export interface ApiCliCommand {
  group: string;
  action: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  run(context: CliContext): Promise<void>;
}

/** The caller recorded as `created_by` for what the CLI creates. */
const CLI_CALLER = 'cli';

function text(values: CliValues, name: string, required: boolean): string | undefined {
  const value = values[name];
  if (value === undefined) {
    if (required) throw new CliUsageError(`--${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} needs a value`);
  return value.trim();
}

async function validDto<T extends object>(type: new () => T, plain: Record<string, unknown>, optionOf: (field: string) => string): Promise<T> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  const first = flattenValidationErrors(errors)[0];
  if (first) throw new CliUsageError(`${optionOf(first.field)}: ${first.message}`);
  return dto;
}

/** The first line of stdin (the password of `users create --password-stdin`). */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of stream) {
    data += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0] ?? '';
}

const ROLE_LIST = ROLES.join(', ');

export const API_CLI_COMMANDS: readonly ApiCliCommand[] = [
  {
    group: 'users',
    action: 'create',
    summary: 'create a user (the first admin of a server)',
    usage: `usage: dynaprice users create --email EMAIL --role ROLE (--password-stdin | DYNAPRICE_PASSWORD=…)

Creates a local account. Roles: ${ROLE_LIST}. The password (12+ characters) comes from the first
line of stdin with --password-stdin, or from the DYNAPRICE_PASSWORD environment variable; it is
never an argument (arguments show up in process lists and shell history).
Uses the API's configuration: DATABASE_URL (or the embedded DATA_DIR; stop the server first).
`,
    options: { email: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run({ values, io, env, app }) {
      const email = text(values, 'email', true) as string;
      const role = text(values, 'role', true) as string;
      const password = values['password-stdin'] === true ? await readFirstLine(io.stdin) : env['DYNAPRICE_PASSWORD'];
      if (password === undefined || password === '') throw new CliUsageError('give the password on stdin with --password-stdin, or in DYNAPRICE_PASSWORD');
      const dto = await validDto(CreateUserDto, { email, role, password }, (field) => (field === 'password' ? 'password' : `--${field}`));
      const user = await (await app()).get(UsersService).create(dto, CLI_CALLER);
      io.stdout.write(`created user ${user.email} (${user.role}) ${user.id}\n`);
    },
  },
  {
    group: 'users',
    action: 'list',
    summary: 'list users',
    usage: 'usage: dynaprice users list\n\nOne line per user: id, email, role, state.\n',
    options: {},
    async run({ io, app }) {
      for (const user of await (await app()).get(UsersService).list()) {
        io.stdout.write(`${user.id}  ${user.email}  ${user.role}  ${user.disabledAt ? `disabled ${user.disabledAt}` : 'active'}\n`);
      }
    },
  },
  {
    group: 'users',
    action: 'disable',
    summary: 'disable a user and end their sessions',
    usage: 'usage: dynaprice users disable --email EMAIL\n',
    options: { email: { type: 'string' } },
    async run({ values, io, app }) {
      const email = normaliseEmail(text(values, 'email', true) as string);
      const users = (await app()).get(UsersService);
      const user = (await users.list()).find((candidate) => candidate.email === email);
      if (!user) throw DomainError.notFound('user', email);
      await users.disable(user.id);
      io.stdout.write(`disabled user ${email}\n`);
    },
  },
  {
    group: 'api-keys',
    action: 'create',
    summary: 'create an API key (printed once)',
    usage: `usage: dynaprice api-keys create --name NAME --role ROLE [--stores S01,S02] [--expires-at ISO-8601]

Prints the key on stdout, once: only its hash is kept. Roles: ${ROLE_LIST}. --stores limits the key
to those stores. Default expiry: one year.
`,
    options: { name: { type: 'string' }, role: { type: 'string' }, stores: { type: 'string' }, 'expires-at': { type: 'string' } },
    async run({ values, io, app }) {
      const stores = text(values, 'stores', false);
      const expiresAt = text(values, 'expires-at', false);
      const plain: Record<string, unknown> = { name: text(values, 'name', true), role: text(values, 'role', true) };
      if (stores !== undefined) plain['storeIds'] = stores.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
      if (expiresAt !== undefined) plain['expiresAt'] = expiresAt;
      const dto = await validDto(CreateApiKeyDto, plain, (field) => (field.startsWith('storeIds') ? '--stores' : field === 'expiresAt' ? '--expires-at' : `--${field}`));
      const created = await (await app()).get(ApiKeysService).create(dto, CLI_CALLER);
      io.stderr.write(`created API key ${created.prefix} (${created.role}${created.storeIds ? `, stores ${created.storeIds.join(',')}` : ''}) id ${created.id}, expires ${created.expiresAt}; it is shown only now:\n`);
      io.stdout.write(`${created.key}\n`);
    },
  },
  {
    group: 'api-keys',
    action: 'list',
    summary: 'list API keys (never the keys themselves)',
    usage: 'usage: dynaprice api-keys list\n',
    options: {},
    async run({ io, app }) {
      for (const key of await (await app()).get(ApiKeysService).list()) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : key.active ? `expires ${key.expiresAt}` : `expired ${key.expiresAt}`;
        io.stdout.write(`${key.id}  ${key.prefix}  ${key.role}  ${key.storeIds ? key.storeIds.join(',') : '*'}  ${state}  ${key.name}\n`);
      }
    },
  },
  {
    group: 'api-keys',
    action: 'revoke',
    summary: 'revoke an API key',
    usage: 'usage: dynaprice api-keys revoke --id UUID\n',
    options: { id: { type: 'string' } },
    async run({ values, io, app }) {
      const id = text(values, 'id', true) as string;
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new CliUsageError('--id must be a UUID (see dynaprice api-keys list)');
      await (await app()).get(ApiKeysService).revoke(id);
      io.stdout.write(`revoked API key ${id}\n`);
    },
  },
];
