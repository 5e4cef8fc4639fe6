import { Module } from '@nestjs/common';
import { ClockController } from './clock.controller';

/** What the market simulator drives besides the public API: the clock (SIMULATED_CLOCK). */
@Module({ controllers: [ClockController] })
export class SimulationModule {}
