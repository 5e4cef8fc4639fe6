import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { noteServedDecisions } from '../audit/served-decisions';
import { currentCaller } from '../common/caller';
import { uuidParam } from '../common/params';
import { currentRequestId } from '../common/request-context';
import { DecisionDto, DecisionListQueryDto, DecisionPageDto, RepriceQueryDto } from './dto/decision.dto';
import { PriceBasketRequestDto } from './dto/price-basket.request.dto';
import { PriceBasketResponseDto, RepricePageDto } from './dto/price-basket.response.dto';
import { DecisionsService } from './decisions.service';
import { pricedAnswerJson } from './priced-answer-json';
import { PricingService, type Caller, type Served } from './pricing.service';
import { Permission, RequirePermission } from '../auth/permissions';

function caller(): Caller {
  return { name: currentCaller(), requestId: currentRequestId() ?? 'unknown' };
}

/** A priced answer on its way out: its request record noted for the audit trail, its lines' cached JSON used. */
function served<A extends PriceBasketResponseDto | RepricePageDto>(reply: FastifyReply, { answer, priceRequest }: Served<A>): A {
  noteServedDecisions(reply.request, answer, priceRequest);
  reply.serializer(pricedAnswerJson);
  return answer;
}

@ApiTags('pricing')
@Controller()
export class PricingController {
  constructor(
    private readonly pricing: PricingService,
    private readonly decisions: DecisionsService,
  ) {}

  @Post('v1/prices')
  @RequirePermission(Permission.PricesQuote, { stores: 'body.storeId' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: PriceBasketResponseDto,
    description: 'One decision per line. An unknown SKU fails the whole basket (400 naming the line), so a POS never shows half a basket priced.',
  })
  async priceBasket(@Body() body: PriceBasketRequestDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PriceBasketResponseDto> {
    return served(reply, await this.pricing.priceBasket(body, caller()));
  }

  @Post('v1/stores/:id/reprice')
  @RequirePermission(Permission.PricesQuote, { stores: 'params.id' })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RepricePageDto, description: 'Prices a page of the store’s SKUs (code order) for shelf labels; follow nextCursor.' })
  async reprice(@Param('id') storeId: string, @Query() query: RepriceQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RepricePageDto> {
    return served(reply, await this.pricing.repriceStore(storeId, query.limit, query.after, caller()));
  }

  @Get('v1/decisions')
  @RequirePermission(Permission.DecisionsRead)
  @ApiOkResponse({ type: DecisionPageDto, description: 'Newest first. Decisions reach this list within a second of being made.' })
  listDecisions(@Query() query: DecisionListQueryDto): Promise<DecisionPageDto> {
    return this.decisions.list(query);
  }

  @Get('v1/decisions/:id')
  @RequirePermission(Permission.DecisionsRead)
  @ApiOkResponse({ type: DecisionDto })
  getDecision(@Param('id', uuidParam()) id: string): Promise<DecisionDto> {
    return this.decisions.get(id);
  }
}
