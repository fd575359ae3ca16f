/**
 * What the environment of a spec run changes, so that specs run as under `npm test`
 * (tools/scripts/test.ts): without colour. Nx gives its tasks FORCE_COLOR, which would colour the output
 * of the nx, Prettier and friends that integration specs start and then read; NO_COLOR alone does not
 * win over it, so it is unset (undefined: left out of the child's environment).
 */
export function testEnvironment(): Record<string, string | undefined> {
  return { FORCE_COLOR: undefined, NO_COLOR: '1' };
}
