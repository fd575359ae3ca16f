/** What one `nx run-many` / `nx affected` call did, read from its static output. */
export interface NxRunFigures {
  /** Every task Nx ran, dependencies included, e.g. "hello-edge:bundle". */
  tasks: string[];
  /** Tasks whose result came from the cache instead of running. */
  cachedTasks: string[];
  failedTasks: string[];
}

// "> nx run hello-edge:bundle", "> nx run hello-edge:lock  [existing outputs match the cache, left as is]",
// "> nx run hello-edge:deploy --inventory=/i.yml  [local cache]": forwarded options sit between the two.
const TASK_HEADER = /^> nx run (\S+)(.*?)(?:\s+\[([^\]]+)\])?\s*$/;
const FAILED_HEADER = /^Failed tasks:\s*$/;
const LIST_ITEM = /^- (\S+:\S+)\s*$/;
// A batch executor (deploy) prints no "> nx run" header per task, only the run's project list
// ("NX   Running target deploy for 2 projects:", "- hello-edge", ...) and "NX   Running 2 tasks with <executor>".
const RUN_HEADER = /^NX\s+Running target (\S+) for (?:\d+ projects|project ([^\s:]+))\b.*$/;
const PROJECT_ITEM = /^- ([^\s:]+)$/;
const BATCH_HEADER = /^NX\s+Running \d+ tasks? with \S+$/;

/**
 * Parses Nx's output (--outputStyle=stream or static): one header per task, with the cache status in
 * brackets when it was a cache hit ("local cache", "remote cache", "existing outputs match the
 * cache, left as is"), then a "Failed tasks:" list when something failed.
 */
export function parseNxOutput(output: string): NxRunFigures {
  const tasks: string[] = [];
  const cachedTasks: string[] = [];
  const failedTasks: string[] = [];
  let isInFailedList = false;
  let runTarget: string | undefined;
  const runProjects: string[] = [];
  for (const rawLine of stripAnsi(output).split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    const run = RUN_HEADER.exec(line.trim());
    if (run) {
      runTarget = run[1];
      runProjects.splice(0, runProjects.length, ...(run[2] ? [run[2]] : []));
      continue;
    }
    const project = PROJECT_ITEM.exec(line.trim());
    if (project && runTarget && !isInFailedList) runProjects.push(project[1]!);
    if (BATCH_HEADER.test(line.trim()) && runTarget) {
      for (const name of runProjects) {
        if (!tasks.includes(`${name}:${runTarget}`)) tasks.push(`${name}:${runTarget}`);
      }
      continue;
    }
    const header = TASK_HEADER.exec(line);
    if (header) {
      const task = header[1]!;
      if (!tasks.includes(task)) tasks.push(task);
      if (header[3]?.includes('cache') && !cachedTasks.includes(task)) cachedTasks.push(task);
      isInFailedList = false;
      continue;
    }
    if (FAILED_HEADER.test(line.trim())) {
      isInFailedList = true;
      continue;
    }
    if (isInFailedList) {
      const item = LIST_ITEM.exec(line.trim());
      if (item) failedTasks.push(item[1]!);
      else if (line.trim() !== '') isInFailedList = false;
    }
  }
  return { tasks, cachedTasks, failedTasks };
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
