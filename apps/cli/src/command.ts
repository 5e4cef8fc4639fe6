import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Where a command writes: stdout for results, stderr for progress. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/**
 * One `dynaprice` subcommand. To add one: write apps/cli/src/commands/<name>.ts exporting a
 * CliCommand and list it in commands/index.ts.
 */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage text shown by `dynaprice <name> --help`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
  run(args: { values: OptionValues; positionals: string[] }, io: CliIo): Promise<void>;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`);
  if (value.trim() === '') throw new UsageError(`--${name} must not be empty`);
  return value;
}

export function requiredString(values: OptionValues, name: string, hint = ''): string {
  const value = stringOption(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required${hint ? ` ${hint}` : ''}`);
  return value;
}

/** A comma-separated list (the option may also be repeated). */
export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return parts
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function numberOption(values: OptionValues, name: string, options: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const range = `${options.min !== undefined ? ` ≥ ${options.min}` : ''}${options.max !== undefined ? `${options.min !== undefined ? ' and' : ''} ≤ ${options.max}` : ''}`;
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (options.integer && !Number.isInteger(value)) ||
    (options.min !== undefined && value < options.min) ||
    (options.max !== undefined && value > options.max)
  ) {
    throw new UsageError(`--${name} must be ${options.integer ? 'an integer' : 'a number'}${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
