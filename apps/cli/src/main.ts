import { parseArgs } from 'node:util';
import { errorLine, UsageError } from './cli-error';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands';

const NAME = 'dynaprice';

function overview(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: ${NAME} <command> [options]   (${NAME} <command> --help for its options)\n\ncommands:\n${commands
    .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
    .join('\n')}\n`;
}

/** parseArgs errors, shortened to one sentence. */
function usageMessage(error: unknown, command: string): string | null {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${command}: unknown option ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `${command}: unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[^' ]+)/.exec(message)?.[1] ?? 'an option';
    if (/ambiguous/.test(message)) return `${command}: the value of ${option} starts with "-"; write it as ${option}=VALUE`;
    if (/argument missing/.test(message)) return `${command}: option ${option} needs a value`;
    return `${command}: ${errorLine(error)}`;
  }
  return null;
}

/**
 * Runs one `dynaprice` command line; returns the exit code. Every failure ends as one line on
 * stderr, `dynaprice: <problem>`: 2 for usage errors, 1 for anything else.
 */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr.write(`${NAME}: ${errorLine(message)}\n`);
    return code;
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) return fail(`unknown command ${JSON.stringify(name)} (commands: ${commands.map((c) => c.name).join(', ')})`, 2);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.allowPositionals ?? false,
    });
  } catch (error) {
    return fail(usageMessage(error, name) ?? `${name}: ${errorLine(error)}`, 2);
  }
  if (parsed.values.help === true) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
    return 0;
  } catch (error) {
    return fail(errorLine(error), error instanceof UsageError ? 2 : 1);
  }
}

/** Entry point of bin/dynaprice.js. */
export function runCli(argv: readonly string[] = process.argv.slice(2)): void {
  const crash = (error: unknown): void => {
    process.stderr.write(`${NAME}: ${errorLine(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => crash(error),
  );
}

if (require.main === module) runCli();
