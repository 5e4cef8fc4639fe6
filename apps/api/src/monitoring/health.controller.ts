import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthService } from './health.service';
import { LivenessDto, ReadinessDto } from './dto/health.response.dto';
import { Public } from '../auth/permissions';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Public()
  @ApiOkResponse({ type: LivenessDto, description: 'The process is up.' })
  live(): LivenessDto {
    return this.health.liveness();
  }

  @Get('ready')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ReadinessDto, description: 'Database reachable and every migration applied.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is not ready (problem+json naming it).' })
  ready(): Promise<ReadinessDto> {
    return this.health.readiness();
  }
}
