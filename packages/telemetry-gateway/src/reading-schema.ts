import { z } from 'zod';

export const MAX_BATCH_SIZE = 1000;

const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9._:/-]+$/, 'use letters, digits and . _ : / - only');

/** Unknown fields are refused rather than silently stored: a typo in a sensor's firmware should show up at once. */
export const readingSchema = z.strictObject({
  sensorId: identifier(128),
  ts: z.iso.datetime({ offset: true }),
  metric: identifier(64),
  value: z.number(),
  unit: z.string().max(32).optional(),
});

export type Reading = z.infer<typeof readingSchema>;

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

export type ParsedReadings =
  { isValid: true; readings: Reading[] } | { isValid: false; issues: ValidationIssue[] };

function formatPath(path: PropertyKey[]): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** One reading or an array of them; issues name the offending element and field, e.g. "[3].value". */
export function parseReadings(body: unknown): ParsedReadings {
  const schema = Array.isArray(body) ? z.array(readingSchema).min(1).max(MAX_BATCH_SIZE) : readingSchema;
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      code: issue.code,
      message: issue.message,
    }));
    return { isValid: false, issues };
  }
  return { isValid: true, readings: Array.isArray(result.data) ? result.data : [result.data] };
}
