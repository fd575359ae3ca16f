import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { projectKindOf } from './project-files';

describe('projectKindOf', () => {
  it('reads a package under packages/ as a service or library (by its marker)', () => {
    assert.equal(projectKindOf('packages/hello-edge/package.json'), 'package');
  });

  it('counts every tools/<name> package or project, and top-level projects, as toolkit', () => {
    for (const file of [
      'tools/edge-fleet/package.json',
      'tools/a-new-tool/package.json',
      'tools/scripts/project.json',
      'pipelines/project.json',
      'playbooks/project.json',
    ]) {
      assert.equal(projectKindOf(file), 'toolkit', file);
    }
  });

  it('leaves out the root, nested manifests and project.json under packages/', () => {
    for (const file of [
      'package.json',
      'project.json',
      'packages/project.json',
      'packages/svc/project.json',
      'tools/edge-plugin/src/fixture/package.json',
    ]) {
      assert.equal(projectKindOf(file), undefined, file);
    }
  });
});
