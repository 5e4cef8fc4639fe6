import type { CliCommand } from '../command';
import { auditCommand } from './audit';
import { benchCommand } from './bench';
import { benchPricesCommand } from './bench-prices';
import { evaluateCommand } from './evaluate';
import { modelsCommand } from './models';
import { predictCommand } from './predict';
import { reliabilityCommand } from './reliability';
import { simulateCommand } from './simulate';
import { trainCommand } from './train';

/** Every `dynaprice` subcommand. Add yours here (one file per command in this folder). */
export const COMMANDS: readonly CliCommand[] = [trainCommand, evaluateCommand, predictCommand, benchCommand, benchPricesCommand, modelsCommand, auditCommand, simulateCommand, reliabilityCommand];
