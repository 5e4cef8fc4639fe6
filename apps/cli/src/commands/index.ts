import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { benchPricesCommand } from './bench-prices';
import { evaluateCommand } from './evaluate';
import { predictCommand } from './predict';
import { trainCommand } from './train';

/** Every `dynaprice` subcommand. Add yours here (one file per command in this folder). */
export const COMMANDS: readonly CliCommand[] = [trainCommand, evaluateCommand, predictCommand, benchCommand, benchPricesCommand];
