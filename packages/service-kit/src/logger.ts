import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Where lines go; stdout by default so journald (or the container runtime) collects them. */
  stream?: Writable;
  level?: LogLevel;
  fields?: LogFields;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const level = value?.trim().toLowerCase();
  return level && level in LEVEL_RANK ? (level as LogLevel) : fallback;
}

/** One JSON object per line: time, level, msg first, then the event's fields (which cannot overwrite those three). */
export function formatLogLine(level: LogLevel, msg: string, fields: LogFields, now = new Date()): string {
  const line: LogFields = { time: now.toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in line)) line[key] = value instanceof Error ? serializeError(value) : value;
  }
  return JSON.stringify(line) + '\n';
}

function serializeError(error: Error): LogFields {
  return { name: error.name, message: error.message, stack: error.stack };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const baseFields = options.fields ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < threshold) return;
    stream.write(formatLogLine(level, msg, { ...baseFields, ...fields }));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...baseFields, ...fields } }),
  };
}
