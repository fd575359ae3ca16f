import { after, before } from 'node:test';

/**
 * node --test runs each spec file in a child whose stdout carries the V8-serialized test reports;
 * progress lines printed there by the executor can interleave with those frames and make the runner
 * fail the whole file ("Unable to deserialize cloned data"). Spec files that run the executor call this
 * at top level; what it prints is still captured by captureOutput and asserted on.
 */
export function quietStdout(): void {
  const original = console.log;
  before(() => {
    console.log = () => undefined;
  });
  after(() => {
    console.log = original;
  });
}
