import assert from 'node:assert/strict';
import type { DeployReport } from '../../../executors/deploy/lib/print-summary';
import type { StatusReport } from '../../../executors/status/lib/run-status';
import type { RenderedPage } from './chromium';

const RED = 'rgb(207, 34, 46)';
const GREEN = 'rgb(26, 127, 55)';

/** A rendered deploy page against its report: what a person must be able to read on it. */
export async function checkDeployPage(page: RenderedPage, report: DeployReport): Promise<void> {
  assert.deepEqual(page.requests, [], 'a self-contained page fetches nothing');
  assert.ok(page.text.includes(`${report.service} ${report.version}`), page.text.slice(0, 500));
  const healthy = report.nodes.filter((node) => node.health === 'healthy').length;
  assert.ok(page.text.includes(`${healthy}/${report.nodes.length} nodes healthy`));
  for (const node of report.nodes) {
    const selector = `section.node[data-node=${JSON.stringify(node.node)}][data-service=${JSON.stringify(report.service)}]`;
    const shown = await page.evaluate<{
      text: string;
      steps: string[][];
      gates: string[][];
      color: string;
    } | null>(`(() => {
      const section = document.querySelector(${JSON.stringify(selector)});
      if (!section) return null;
      const cells = (rows) => [...rows].map((row) => [...row.cells].map((cell) => cell.innerText.trim()));
      return {
        text: section.innerText,
        steps: cells(section.querySelectorAll('table.steps tbody tr')),
        gates: cells(section.querySelectorAll('table.gates tbody tr')),
        color: getComputedStyle(section.querySelector('h3 .outcome')).color,
      };
    })()`);
    assert.ok(shown, `a section for ${node.node}`);
    assert.ok(shown.text.includes(`${node.node}: ${node.health}`), shown.text.slice(0, 300));
    assert.equal(shown.color, node.health === 'healthy' ? GREEN : RED, `${node.node} ${node.health}`);
    // Every step: its name, its duration, its outcome; and the timeline draws one bar each.
    assert.deepEqual(
      shown.steps.map((cells) => [cells[0], cells[2], cells[4]]),
      (node.steps ?? []).map((step) => [step.step, `${step.seconds.toFixed(1)} s`, step.outcome]),
    );
    const bars = await page.evaluate<number>(
      `document.querySelectorAll(${JSON.stringify(`${selector} .timeline .bar`)}).length`,
    );
    assert.equal(bars, (node.steps ?? []).length);
    assert.deepEqual(
      shown.gates.map((cells) => cells[1]),
      (node.gates ?? []).map((gate) => (gate.passed ? 'passed' : 'failed')),
    );
    for (const gate of (node.gates ?? []).filter((each) => !each.passed)) {
      assert.ok(shown.text.includes(gate.message ?? ''), `why the ${gate.gate} gate failed`);
      const color = await page.evaluate<string>(
        `getComputedStyle(document.querySelector(${JSON.stringify(`${selector} table.gates tr[data-gate="${gate.gate}"] td.outcome`)})).color`,
      );
      assert.equal(color, RED, 'a failed gate is shown in red');
    }
    if (node.error) assert.ok(shown.text.includes(node.error.split('\n')[0]!), 'the node’s error');
  }
}

/** A rendered status page against its report. */
export async function checkStatusPage(page: RenderedPage, report: StatusReport): Promise<void> {
  assert.deepEqual(page.requests, [], 'a self-contained page fetches nothing');
  for (const row of report.rows) {
    const selector = `section.node[data-node=${JSON.stringify(row.node)}]`;
    const shown = await page.evaluate<{ text: string; cells: string[]; history: string[][] } | null>(`(() => {
      const section = document.querySelector(${JSON.stringify(selector)});
      if (!section) return null;
      const row = section.querySelector('table.services tr[data-service=${JSON.stringify(row.service)}]');
      const history = section.querySelector('table.history[data-service=${JSON.stringify(row.service)}]');
      return {
        text: section.innerText,
        cells: row ? [...row.cells].map((cell) => cell.innerText.trim()) : [],
        history: history ? [...history.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.innerText.trim())) : [],
      };
    })()`);
    assert.ok(shown, `a section for ${row.node}`);
    assert.ok(shown.text.includes(row.node));
    assert.equal(shown.cells[0], row.service);
    assert.equal(shown.cells[3], row.unit);
    assert.ok(shown.cells[4]!.startsWith(row.health || row.unit), `${shown.cells[4]} vs ${row.health}`);
    if (row.problem) assert.ok(shown.text.includes(row.problem), `${row.node}: ${row.problem}`);
    assert.deepEqual(
      shown.history.map((cells) => [cells[1], cells[3], cells[4]]),
      row.history.map((record) => [record.action, record.to ?? '', record.outcome]),
    );
  }
}
