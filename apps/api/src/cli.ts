/**
 * The API's command runner: `dynaprice users …` and `dynaprice api-keys …` (bin/dynaprice.js routes
 * them here). A Nest application context without HTTP on the API's own configuration and database
 * (migrations included), so the first admin of a server can be created before anyone can sign in.
 * Every failure is one line on stderr, `dynaprice: <problem>`: exit code 2 for bad input, 78 for a
 * bad configuration, 1 for anything else.
 */
import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainError } from '@dynaprice/kernel';
import { parseArgs } from 'node:util';
import { AuthCoreModule } from './auth/auth.module';
import { API_CLI_COMMANDS as AUTH_COMMANDS, CliUsageError, type ApiCliCommand, type CliStreams, type CliValues } from './auth/cli-commands';
import { JOB_COMMANDS } from './commands/job-commands';
import { createRootLogger } from './common/logger';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';

const NAME = 'dynaprice';

@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config, createRootLogger('silent')), DatabaseModule.forRoot(config), AuthCoreModule] };
  }
}

const API_CLI_COMMANDS: readonly ApiCliCommand[] = [...AUTH_COMMANDS, ...JOB_COMMANDS];

/** The command groups this runner owns (bin/dynaprice.js sends them here). */
export const API_CLI_GROUPS: readonly string[] = [...new Set(API_CLI_COMMANDS.map((command) => command.group))];

function overview(commands: readonly ApiCliCommand[]): string {
  const names = commands.map((command) => `${command.group} ${command.action}`);
  const width = Math.max(...names.map((name) => name.length));
  return `usage: ${NAME} <users|api-keys|jobs> <action> [options]   (--help on any of them)\n\n${commands
    .map((command, index) => `  ${(names[index] as string).padEnd(width)}  ${command.summary}`)
    .join('\n')}\n`;
}

function oneLine(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return (typeof message === 'string' ? message : String(error)).split('\n')[0]?.trim() ?? 'failed';
}

/** parseArgs errors in a few words. */
function usageProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const option = /'([^']+)'/.exec(oneLine(error))?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && option) return `unexpected argument ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option ?? 'an option'} needs a value (write --name=VALUE if it starts with "-")`;
  return oneLine(error);
}

/** Runs one command line; returns the exit code. */
export async function runApiCli(
  argv: readonly string[],
  io: CliStreams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  env: Readonly<Record<string, string | undefined>> = process.env,
  commands: readonly ApiCliCommand[] = API_CLI_COMMANDS,
): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr.write(`${NAME}: ${message}\n`);
    return code;
  };
  const [group, action, ...rest] = argv;
  const inGroup = commands.filter((command) => command.group === group);
  if (inGroup.length === 0) return fail(`unknown command ${JSON.stringify(group ?? '')} (API commands: ${API_CLI_GROUPS.join(', ')})`, 2);
  if (action === undefined || action === '--help' || action === '-h') {
    io.stdout.write(overview(inGroup));
    return action === undefined ? 2 : 0;
  }
  const command = inGroup.find((candidate) => candidate.action === action);
  if (!command) return fail(`${group}: unknown action ${JSON.stringify(action)} (actions: ${inGroup.map((candidate) => candidate.action).join(', ')})`, 2);
  const label = `${command.group} ${command.action}`;

  let values: CliValues;
  try {
    values = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values as CliValues;
  } catch (error) {
    return fail(`${label}: ${usageProblem(error)}`, 2);
  }
  if (values['help'] === true) {
    io.stdout.write(command.usage);
    return 0;
  }

  let context: INestApplicationContext | null = null;
  try {
    await command.run({
      values,
      io,
      env,
      app: async () => {
        if (!context) {
          const config = loadConfig(env);
          context = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false, abortOnError: false });
        }
        return context;
      },
    });
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) return fail(`${label}: ${error.message}`, 2);
    if (error instanceof ConfigError) return fail(`invalid configuration: ${error.message}`, 78);
    if (error instanceof DomainError) return fail(`${label}: ${oneLine(error)}`, error.code === 'VALIDATION_FAILED' ? 2 : 1);
    return fail(`${label}: ${oneLine(error)}`, 1);
  } finally {
    if (context) await (context as INestApplicationContext).close().catch(() => undefined);
  }
}

/** Entry point for bin/dynaprice.js. */
export function runCli(argv: readonly string[] = process.argv.slice(2)): void {
  runApiCli(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${NAME}: ${oneLine(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli();
