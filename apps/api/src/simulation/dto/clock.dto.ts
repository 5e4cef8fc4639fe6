import { ApiProperty } from '@nestjs/swagger';
import { IsDateString } from 'class-validator';

export class AdvanceClockDto {
  @ApiProperty({ format: 'date-time', example: '2026-06-02T05:00:00Z', description: 'The new time; never earlier than the current one.' })
  @IsDateString({ strict: true, strictSeparator: true })
  now!: string;
}

export class ClockDto {
  @ApiProperty({ format: 'date-time' }) now!: string;
  @ApiProperty({ description: 'True when the clock is set by /v1/admin/clock (SIMULATED_CLOCK), false when it follows real time.' }) simulated!: boolean;
}
