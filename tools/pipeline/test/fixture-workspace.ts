import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commitAll, git, WORKSPACE_ROOT } from '@edgeship/edge-common/testing';

const STAGES = ['format', 'lock', 'test', 'bundle', 'image', 'release', 'deploy'];

/**
 * A tiny real Nx workspace (projects a and b) whose targets are the pipeline's stage names as
 * plain node commands: the runner is tested against real nx, without docker or a fleet.
 * b's test fails while packages/b/FAIL exists; deploy prints the arguments it was given.
 */
export function createPipelineFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'edgeship-pipeline-'));
  const write = (path: string, content: string | object) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(
      join(root, path),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n',
    );
  };
  write('package.json', { name: 'fixture', private: true, workspaces: ['packages/*'] });
  write('nx.json', { defaultBase: 'main', namedInputs: { default: ['{projectRoot}/**/*'] } });
  write('.gitignore', 'node_modules\n.nx\n.edgeship\n');
  // The local fleet's inventory, where the deploy stage goes when no other is given.
  write('.edgeship/fleet/default/inventory.yml', 'all: {}\n');
  write('pipelines/stages.yml', readFileSync(join(WORKSPACE_ROOT, 'pipelines/stages.yml'), 'utf8'));
  for (const name of ['a', 'b']) {
    write(`packages/${name}/package.json`, { name, version: '1.0.0', nx: { targets: targetsFor() } });
    write(`packages/${name}/src/index.js`, `module.exports = '${name}';\n`);
  }
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'));
  git(root, ['init', '-q', '-b', 'main']);
  commitAll(root, 'initial');
  return root;
}

function targetsFor(): Record<string, object> {
  const targets: Record<string, object> = {};
  for (const stage of STAGES) {
    const command =
      stage === 'test'
        ? `node -e "process.exit(require('fs').existsSync('FAIL') ? 1 : 0)"`
        : `node -e "console.log('${stage} ran', process.argv.slice(1).join(' '))" --`;
    targets[stage] = {
      executor: 'nx:run-commands',
      options: { command, cwd: '{projectRoot}' },
      cache: !['release', 'deploy'].includes(stage),
      inputs: ['default'],
      dependsOn: stage === 'bundle' ? ['lock'] : stage === 'deploy' ? ['bundle'] : [],
    };
  }
  return targets;
}
