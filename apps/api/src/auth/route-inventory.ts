import { Injectable } from '@nestjs/common';
import type { RouteOptions } from 'fastify';
import { ROUTE_ACCESS_CONFIG, type RouteAccess } from './permissions';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** What the route declares (`@Public()` / `@RequirePermission`), read from its Fastify config; null: nothing. */
  access: RouteAccess | null;
}

/** Every route the Fastify router registers (recorded by an onRoute hook), with its declared access. */
@Injectable()
export class RouteInventory {
  private readonly registered: RegisteredRoute[] = [];

  record(route: RouteOptions): void {
    const config = route.config as Record<string, unknown> | undefined;
    const access = (config?.[ROUTE_ACCESS_CONFIG] as RouteAccess | undefined) ?? null;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      this.registered.push({ method: String(method).toUpperCase(), url: route.url, access });
    }
  }

  get routes(): readonly RegisteredRoute[] {
    return this.registered;
  }
}
