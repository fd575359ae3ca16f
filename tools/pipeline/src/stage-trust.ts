import { ConfigError } from '@edgeship/edge-common';
import type { StageWhen } from './stages';

/**
 * CI runner labels by trust level. Branch and pull/merge-request jobs run code nobody has reviewed yet,
 * so they run where no secret lives; the main-only job runs on its own runner, which holds them.
 * Only the CI files use these (pipelines/test/pipelines.spec.ts checks them); the local runner does not.
 */
export interface RunnerLabels {
  untrusted: string;
  trusted: string;
}

const LABEL = /^[a-z0-9][a-z0-9-]*$/;
const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;

export function parseRunnerLabels(value: unknown, file: string): RunnerLabels | undefined {
  if (value === undefined) return undefined;
  const runners = (value ?? {}) as Record<string, unknown>;
  for (const level of ['untrusted', 'trusted'] as const) {
    if (typeof runners[level] !== 'string' || !LABEL.test(runners[level] as string)) {
      throw new ConfigError(
        file,
        `runners.${level}`,
        runners[level],
        'Name a runner label, e.g. "edgeship-trusted".',
      );
    }
  }
  if (runners.untrusted === runners.trusted) {
    throw new ConfigError(
      file,
      'runners.trusted',
      runners.trusted,
      'Use a label of its own: pull-request jobs must not reach the runner that holds the keys.',
    );
  }
  return { untrusted: runners.untrusted as string, trusted: runners.trusted as string };
}

/** The CI secrets a stage needs. Only main-only stages may have any: the others run unreviewed code. */
export function parseStageSecrets(value: unknown, when: StageWhen, field: string, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && SECRET_NAME.test(name))) {
    throw new ConfigError(file, field, value, 'List CI secret names, e.g. [EDGESHIP_DEPLOY_KEY].');
  }
  if (value.length > 0 && when !== 'main') {
    throw new ConfigError(
      file,
      field,
      value,
      'Only main-only stages get secrets: pull-request pipelines run code nobody has reviewed yet.',
    );
  }
  return value as string[];
}
