import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';
import { MODEL_ALIASES, type ModelAlias } from './model-registry.service';

/** `:alias` path parameters: champion or challenger, else a 400 naming the parameter. */
@Injectable()
export class ModelAliasPipe implements PipeTransform<string, ModelAlias> {
  transform(value: string): ModelAlias {
    if (!(MODEL_ALIASES as readonly string[]).includes(value)) throw DomainError.validation('alias', `must be one of ${MODEL_ALIASES.join(', ')}`);
    return value as ModelAlias;
  }
}
