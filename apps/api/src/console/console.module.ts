import { type DynamicModule, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { AppConfig } from '../config/app-config';

const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');

/** Paths the console never owns: an unknown URL under them stays a 404 problem, never the SPA. */
export const API_PREFIXES = ['/v1', '/docs', '/docs-json', '/docs-yaml', '/health', '/metrics'] as const;

export interface ConsoleOptions {
  /** The built console (apps/console/dist); nothing is served when it has no index.html. */
  dir: string;
}

/** A GET that a browser navigates to (HTML wanted) outside the API's paths: answer with the SPA. */
export function isConsoleNavigation(url: string, accept: string | undefined): boolean {
  const path = url.split('?', 1)[0] ?? '/';
  if (API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  return (accept ?? '').includes('text/html');
}

/** The file under `dir` that `urlPath` names, relative to `dir`, or null (outside it, a folder, or missing). */
export function consoleFile(dir: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.split('?', 1)[0] ?? '').replace(/^\/+/, '');
  } catch {
    return null;
  }
  if (!relative) return null;
  const root = resolve(dir);
  const absolute = resolve(root, relative);
  if (!absolute.startsWith(root + sep)) return null;
  try {
    return statSync(absolute).isFile() ? absolute.slice(root.length + 1) : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built React console at `/` when apps/console/dist (CONSOLE_DIR) exists: its files (the
 * content-hashed assets cached for good) and index.html for any other page a browser asks for
 * (client routes such as /prices or /skus/PRD-001). API routes are untouched. The console's own files
 * are not rate-limited: a shop full of people behind one address loads them without eating the API's
 * per-address allowance.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  private readonly logger = new Logger(ConsoleModule.name);

  static forRoot(config: Pick<AppConfig, 'consoleDir'>): DynamicModule {
    return { module: ConsoleModule, providers: [{ provide: CONSOLE_OPTIONS, useValue: { dir: config.consoleDir } satisfies ConsoleOptions }] };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions,
  ) {}

  onModuleInit(): void {
    const dir = resolve(this.options.dir);
    if (!existsSync(join(dir, 'index.html'))) {
      this.logger.log(`no console build in ${dir}: serving the API only`);
      return;
    }
    // An application context without HTTP (the CLI's jobs) has no server to serve the console from.
    if (!this.adapterHost.httpAdapter) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(fastifyStatic, {
      root: dir,
      // Only reply.sendFile: the routes below decide what is a file, a page or a 404.
      serve: false,
      // Vite names every asset by its content hash: cache those for good, revalidate the rest (index.html).
      setHeaders: (reply: FastifyReply, path: string) => {
        void reply.header('cache-control', path.startsWith(join(dir, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    const serve = (request: FastifyRequest, reply: FastifyReply) => {
      const file = consoleFile(dir, request.url);
      if (file) return reply.sendFile(file);
      if (request.url === '/' || isConsoleNavigation(request.url, request.headers.accept)) return reply.sendFile('index.html');
      return reply.callNotFound();
    };
    const config = { rateLimit: false } as const;
    fastify.get('/', { config }, serve);
    fastify.get('/*', { config }, serve);
    this.logger.log(`serving the console from ${dir}`);
  }
}
