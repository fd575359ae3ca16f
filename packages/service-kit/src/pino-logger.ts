import type { LogFields, Logger } from './logger';

type PinoMethod = (fields: object, msg: string) => void;

/** What the kit needs of a pino logger (pino itself, fastify's `app.log`, a pino child); typed by shape. */
export interface PinoLike {
  debug: PinoMethod;
  info: PinoMethod;
  warn: PinoMethod;
  error: PinoMethod;
  child(bindings: object): PinoLike;
}

/** pino serializes errors under `err` only; the kit's callers pass them as `error`. */
function toPinoFields(fields: LogFields | undefined): object {
  if (!fields) return {};
  const { error, ...rest } = fields;
  if (error === undefined) return rest;
  return error instanceof Error ? { ...rest, err: error } : { ...rest, error };
}

/**
 * Lets the kit log through the service's own pino logger, so one stream, one level setting and one set of
 * redactions cover both: `runEdgeServer(app, { …, logger: fromPino(app.log) })`.
 */
export function fromPino(pino: PinoLike): Logger {
  return {
    debug: (msg, fields) => pino.debug(toPinoFields(fields), msg),
    info: (msg, fields) => pino.info(toPinoFields(fields), msg),
    warn: (msg, fields) => pino.warn(toPinoFields(fields), msg),
    error: (msg, fields) => pino.error(toPinoFields(fields), msg),
    child: (fields) => fromPino(pino.child(fields)),
  };
}
