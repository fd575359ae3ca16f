import { hostname } from 'node:os';
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

/** pino's level numbers: log shippers and `pino-pretty` read them the same from the kit and from pino. */
export const LEVEL_NUMBER: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const level = value?.trim().toLowerCase();
  return level && level in LEVEL_NUMBER ? (level as LogLevel) : fallback;
}

interface LineOrigin {
  pid: number;
  hostname: string;
}

const THIS_PROCESS: LineOrigin = { pid: process.pid, hostname: hostname() };
const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * One JSON object per line in pino's shape, so a team's pino lines and the kit's read the same in journald and
 * log shippers: level (number), time (epoch ms), pid, hostname, the event's fields, msg last. Fields cannot
 * overwrite those five; an Error anywhere is written as pino writes `err` (type, message, stack).
 */
export function formatLogLine(
  level: LogLevel,
  msg: string,
  fields: LogFields,
  now = Date.now(),
  origin: LineOrigin = THIS_PROCESS,
): string {
  const line: LogFields = {
    level: LEVEL_NUMBER[level],
    time: now,
    pid: origin.pid,
    hostname: origin.hostname,
  };
  for (const [key, value] of Object.entries(fields)) {
    if (!RESERVED.has(key)) line[key] = value instanceof Error ? serializeError(value) : value;
  }
  line.msg = msg;
  return JSON.stringify(line) + '\n';
}

export function serializeError(error: Error): LogFields {
  return { type: error.name, message: error.message, stack: error.stack };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const threshold = LEVEL_NUMBER[options.level ?? 'info'];
  const baseFields = options.fields ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_NUMBER[level] < threshold) return;
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
