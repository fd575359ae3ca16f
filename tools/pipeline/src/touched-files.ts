import { runCommand } from '@edgeship/edge-common';
import type { PipelineScope } from './scope';

type AffectedScope = Extract<PipelineScope, { kind: 'affected' }>;

/**
 * The git calls that list the files a change touches, as `nx affected` lists them: committed
 * changes from the merge base of base and head (HEAD when no head is given) to head, plus, without a
 * head, uncommitted and untracked files. Each call prints NUL-separated paths.
 */
export function buildTouchedFilesCommands(mergeBase: string, head: string | undefined): string[][] {
  const diff = ['diff', '--name-only', '--no-renames', '--relative', '-z'];
  if (head !== undefined) return [[...diff, mergeBase, head]];
  return [
    [...diff, mergeBase, 'HEAD'],
    [...diff, 'HEAD', '.'],
    ['ls-files', '--others', '--exclude-standard', '-z'],
  ];
}

/**
 * Whether any file changed between the scope's base and head (or the working tree). No touched
 * file means nothing can be affected, which git answers in milliseconds where an nx call takes
 * seconds; with touched files, nx decides what they reach.
 */
export async function hasTouchedFiles(workspaceRoot: string, scope: AffectedScope): Promise<boolean> {
  const git = (args: string[]) => runCommand('git', args, { cwd: workspaceRoot, check: false });
  const mergeBase = await git(['merge-base', scope.baseSha, scope.head ?? 'HEAD']);
  // Without a merge base (unrelated histories), nx diffs against the base itself.
  const from = mergeBase.exitCode === 0 ? mergeBase.stdout.trim() : scope.baseSha;
  for (const args of buildTouchedFilesCommands(from, scope.head)) {
    const run = await git(args);
    // A git failure is not evidence of no change: let nx decide.
    if (run.exitCode !== 0 || run.stdout.replace(/\0/g, '').trim() !== '') return true;
  }
  return false;
}
