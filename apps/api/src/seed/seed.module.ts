import { Module } from '@nestjs/common';

/** Creates the demo retailer on an empty embedded database (filled in with the market simulator). */
@Module({})
export class SeedModule {}
