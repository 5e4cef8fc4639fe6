import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ description: 'Seconds since the process started.' })
  uptimeSeconds!: number;
}

export class ReadinessCheckDto {
  @ApiProperty({ example: 'database' })
  name!: string;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ required: false })
  detail?: string;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ready' })
  status!: 'ready';

  @ApiProperty({ enum: ['embedded', 'postgres'] })
  database!: 'embedded' | 'postgres';

  @ApiProperty({ type: [ReadinessCheckDto] })
  checks!: ReadinessCheckDto[];
}
