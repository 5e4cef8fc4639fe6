import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { currentCaller } from '../common/caller';
import { validationFailure } from '../common/validation';
import { CatalogChanges } from './catalog-changes';
import type { CreateGuardrailDto, GuardrailDto, GuardrailListQueryDto, UpdateGuardrailDto } from './dto/guardrail.dto';
import { GuardrailEntity } from './entities/guardrail.entity';
import { SkuEntity } from './entities/sku.entity';

export function toGuardrailDto(guardrail: GuardrailEntity): GuardrailDto {
  return {
    id: guardrail.id,
    scope: guardrail.scope,
    scopeKey: guardrail.scopeKey,
    minMarginPct: guardrail.minMarginPct,
    maxChangePct: guardrail.maxChangePct,
    priceFloor: guardrail.priceFloor,
    priceCeiling: guardrail.priceCeiling,
    priceEndings: guardrail.priceEndings,
    frozen: guardrail.frozen,
    updatedBy: guardrail.updatedBy,
    updatedAt: guardrail.updatedAt.toISOString(),
  };
}

function boundsProblems(guardrail: Pick<GuardrailEntity, 'priceFloor' | 'priceCeiling'>): FieldProblem[] {
  return guardrail.priceFloor != null && guardrail.priceCeiling != null && guardrail.priceFloor > guardrail.priceCeiling
    ? [{ field: 'priceFloor', message: `must not exceed priceCeiling (${guardrail.priceCeiling})` }]
    : [];
}

@Injectable()
export class GuardrailsService {
  constructor(
    @InjectRepository(GuardrailEntity) private readonly guardrails: Repository<GuardrailEntity>,
    @InjectRepository(SkuEntity) private readonly skus: Repository<SkuEntity>,
    private readonly changes: CatalogChanges,
  ) {}

  async list(query: GuardrailListQueryDto): Promise<GuardrailDto[]> {
    const rows = await this.guardrails.find({ where: query.scope ? { scope: query.scope } : {}, order: { scope: 'ASC', scopeKey: 'ASC' } });
    return rows.map(toGuardrailDto);
  }

  async get(id: string): Promise<GuardrailDto> {
    return toGuardrailDto(await this.require(id));
  }

  async create(body: CreateGuardrailDto): Promise<GuardrailDto> {
    const scopeKey = body.scope === 'global' ? '' : (body.scopeKey ?? '');
    if (body.scope === 'global' && body.scopeKey) throw DomainError.validation('scopeKey', "must be omitted for scope 'global'");
    if (body.scope === 'sku' && !(await this.skus.existsBy({ code: scopeKey }))) {
      throw DomainError.validation('scopeKey', `SKU ${JSON.stringify(scopeKey)} does not exist`);
    }
    const guardrail = this.guardrails.create({
      id: randomUUID(),
      scope: body.scope,
      scopeKey,
      minMarginPct: body.minMarginPct ?? null,
      maxChangePct: body.maxChangePct ?? null,
      priceFloor: body.priceFloor ?? null,
      priceCeiling: body.priceCeiling ?? null,
      priceEndings: body.priceEndings ?? null,
      frozen: body.frozen ?? null,
      updatedBy: currentCaller(),
    });
    this.assertConsistent(guardrail);
    if (await this.guardrails.existsBy({ scope: body.scope, scopeKey })) {
      throw DomainError.conflict(`guardrails for ${body.scope}${scopeKey ? ` ${JSON.stringify(scopeKey)}` : ''} already exist: update them instead`);
    }
    const saved = await this.guardrails.save(guardrail);
    await this.changes.changed('guardrails');
    return toGuardrailDto(saved);
  }

  async update(id: string, body: UpdateGuardrailDto): Promise<GuardrailDto> {
    const guardrail = await this.require(id);
    const merged = this.guardrails.merge(guardrail, { ...body, updatedBy: currentCaller() });
    this.assertConsistent(merged);
    const saved = await this.guardrails.save(merged);
    await this.changes.changed('guardrails');
    return toGuardrailDto(saved);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.guardrails.delete({ id });
    await this.changes.changed('guardrails');
  }

  private assertConsistent(guardrail: GuardrailEntity): void {
    const problems = boundsProblems(guardrail);
    if (problems.length > 0) throw validationFailure(problems);
  }

  private async require(id: string): Promise<GuardrailEntity> {
    const guardrail = await this.guardrails.findOneBy({ id });
    if (!guardrail) throw DomainError.notFound('guardrail', id);
    return guardrail;
  }
}
