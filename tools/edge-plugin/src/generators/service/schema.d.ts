export interface ServiceGeneratorSchema {
  name: string;
  port?: number;
  delivery?: 'binary' | 'container';
  description?: string;
  framework?: 'fastify' | 'express' | 'hono' | 'http';
  install?: 'full' | 'lockfile-only' | 'skip';
}
