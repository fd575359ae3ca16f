// Only the function used: the nx plugin loads this file on every nx call, and the whole package is ~40 modules.
import valid from 'semver/functions/valid';
import { ConfigError } from '@edgeship/edge-common';

/**
 * The longest version accepted: it becomes the image tag `<version>-<arch>`, and a docker tag holds at most
 * 128 characters.
 */
const MAX_VERSION_LENGTH = 100;

/**
 * The one version check of the build, the release and the deploy: a full semver (the `semver` package,
 * strict mode) written exactly as semver prints it, so nothing else can ride along: no "v", no spaces,
 * no newline (it would add a line to release.env), no trailing path (the version names release
 * directories), and no "+build" (the version becomes an image tag, where "+" is not allowed).
 * Returns the version; throws a ConfigError naming where it came from otherwise.
 */
export function checkSemver(value: unknown, file: string, field: string): string {
  if (typeof value === 'string' && value.length <= MAX_VERSION_LENGTH && valid(value) === value) {
    return value;
  }
  throw new ConfigError(
    file,
    field,
    value,
    'Use a semver version: MAJOR.MINOR.PATCH with an optional -prerelease, e.g. "1.2.3" or "1.2.3-rc.1" ' +
      `(no "v", no spaces, no "+build", at most ${MAX_VERSION_LENGTH} characters).`,
  );
}
