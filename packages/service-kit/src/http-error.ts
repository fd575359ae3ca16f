/** Thrown by route handlers (and body parsing) to answer with a status and a JSON body instead of a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): Record<string, unknown> {
    return { error: this.message, ...this.details };
  }
}
