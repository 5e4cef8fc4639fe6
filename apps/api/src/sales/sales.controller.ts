import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, RequirePermission } from '../auth/permissions';
import { IngestResultDto, SalesBatchDto, WasteBatchDto } from './dto/events.dto';
import { SalesIngestionService } from './sales-ingestion.service';

@ApiTags('sales')
@Controller('v1')
export class SalesController {
  constructor(private readonly ingestion: SalesIngestionService) {}

  @Post('sales')
  @RequirePermission(Permission.SalesWrite, { stores: 'body.events[].storeId' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: IngestResultDto,
    description: 'Up to 10,000 sales, all or nothing: one bad event refuses the batch (400 naming events[i]); a retry stores nothing twice; a key reused for a different sale is a 409.',
  })
  sales(@Body() body: SalesBatchDto): Promise<IngestResultDto> {
    return this.ingestion.ingestSales(body);
  }

  @Post('waste')
  @RequirePermission(Permission.SalesWrite, { stores: 'body.events[].storeId' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: IngestResultDto, description: 'Up to 10,000 waste events (units written off), with the same rules as sales.' })
  waste(@Body() body: WasteBatchDto): Promise<IngestResultDto> {
    return this.ingestion.ingestWaste(body);
  }
}
