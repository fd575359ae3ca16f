export interface ServiceGeneratorSchema {
  name: string;
  port?: number;
  delivery?: 'binary' | 'container';
  description?: string;
  install?: 'full' | 'lockfile-only' | 'skip';
}
