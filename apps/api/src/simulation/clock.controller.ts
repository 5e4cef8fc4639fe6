import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { Clock } from '../common/clock';
import { AdvanceClockDto, ClockDto } from './dto/clock.dto';

@ApiTags('admin')
@Controller('v1/admin/clock')
export class ClockController {
  constructor(private readonly clock: Clock) {}

  @Get()
  @RequirePermission(Permission.ClockSet)
  @ApiOkResponse({ type: ClockDto })
  read(): ClockDto {
    return { now: this.clock.date().toISOString(), simulated: this.clock.simulated };
  }

  @Post()
  @RequirePermission(Permission.ClockSet)
  @ApiOkResponse({ type: ClockDto, description: 'Moves the simulated clock forward and returns once scheduled work due by then has run. 422 when the clock follows real time.' })
  async advance(@Body() body: AdvanceClockDto): Promise<ClockDto> {
    await this.clock.advance(Date.parse(body.now));
    return this.read();
  }
}
