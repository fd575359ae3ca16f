import type { NodeOutcome } from '../../executors/deploy/lib/deploy-report';
import type { HealthGateResult, RolloutStep } from '../../executors/deploy/lib/deploy-timeline';
import type { DeployReport } from '../../executors/deploy/lib/print-summary';
import { html, type SafeHtml } from './html';
import { formatSeconds, outcomeClass, renderPage } from './page';
import { renderTimeline } from './render-timeline';

export interface DeployHtmlOptions {
  /** Where the rollout went (an inventory path), shown under the title. */
  inventory?: string;
  /** When the page was made, shown under the title (default now). */
  generatedAt?: Date;
}

/**
 * The deploy summary as a page a person opens: per service, a verdict and the node table; per node, the
 * rollout timeline (every step on one time axis, so the canary and the batch after it show as such), each
 * step's duration and outcome, what every health gate answered, and the journal lines of a failed release.
 */
export function renderDeployHtml(reports: readonly DeployReport[], options: DeployHtmlOptions = {}): string {
  const isSuccess = reports.length > 0 && reports.every((report) => report.success);
  const services = reports.map((report) => report.service).join(', ');
  const axis = Math.max(
    1,
    ...reports.flatMap((report) =>
      report.nodes.flatMap((node) => (node.steps ?? []).map((step) => step.start + step.seconds)),
    ),
  );
  const body = html`<header>
      <h1>Deploy of ${services || 'no service'}</h1>
      <p
        class="verdict ${outcomeClass(isSuccess ? 'healthy' : 'failed')}"
        data-verdict="${isSuccess ? 'success' : 'failure'}"
      >
        ${isSuccess ? 'Deployed: every node healthy' : 'Deploy failed: see the nodes marked below'}
      </p>
      <p class="meta">
        ${options.inventory ? `inventory ${options.inventory} · ` : ''}generated
        ${(options.generatedAt ?? new Date()).toISOString()}
      </p>
    </header>
    ${reports.map((report) => renderService(report, axis))}`;
  return renderPage(`edgeship deploy: ${services}`, body);
}

function renderService(report: DeployReport, axis: number): SafeHtml {
  if (report.nodes.length === 0)
    return html`<section class="service" data-service="${report.service}">
      <h2>${report.service}: <span class="${outcomeClass('failed')}">not deployed</span></h2>
      <p class="error">
        No node was reached: the build or the checks before the rollout failed (see the command's output).
      </p>
    </section>`;
  const healthy = report.nodes.filter((node) => node.health === 'healthy').length;
  return html`<section class="service" data-service="${report.service}">
    <h2>
      ${report.service} ${report.version}:
      <span class="${outcomeClass(report.success ? 'healthy' : 'failed')}"
        >${healthy}/${report.nodes.length} nodes healthy</span
      >
      in ${formatSeconds(report.seconds)}
    </h2>
    <table class="nodes">
      <thead>
        <tr>
          <th>node</th>
          <th>arch</th>
          <th>delivery</th>
          <th>version</th>
          <th>health</th>
          <th>action</th>
          <th>transfer</th>
          <th>changed</th>
          <th>duration</th>
        </tr>
      </thead>
      <tbody>
        ${report.nodes.map(
          (node) =>
            html`<tr data-node="${node.node}" data-health="${node.health}">
              <td>${node.node}</td>
              <td>${node.arch}</td>
              <td>${node.delivery}</td>
              <td>${node.version}</td>
              <td class="${outcomeClass(node.health)}">${node.health}</td>
              <td>${node.action}</td>
              <td>${node.transfer.replace(/ against \S+/, '')}</td>
              <td class="num">${node.changed}</td>
              <td class="num">${formatSeconds(node.seconds)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${report.nodes.map((node) => renderNode(report.service, node, axis))}
  </section>`;
}

function renderNode(service: string, node: NodeOutcome, axis: number): SafeHtml {
  const steps = node.steps ?? [];
  const gates = node.gates ?? [];
  const isBad = node.health !== 'healthy' && node.health !== 'not reached';
  return html`<section
    class="node${isBad ? ' is-bad' : ''}"
    data-node="${node.node}"
    data-service="${service}"
    data-health="${node.health}"
  >
    <h3>
      ${node.node}:
      <span class="${outcomeClass(node.health)}">${node.health}</span
      >${node.action ? ` (${node.action})` : ''}
    </h3>
    ${node.error ? html`<p class="error">${node.error}</p>` : ''}
    ${
      steps.length > 0
        ? renderTimeline(
            steps.map((step) => ({ label: step.step, ...step })),
            axis,
          )
        : html`<p class="meta">
            No step ran on this
            node${node.health === 'not reached' ? ': the rollout stopped before its batch' : ''}.
          </p>`
    }
    ${steps.length > 0 ? renderSteps(steps) : ''} ${gates.length > 0 ? renderGates(gates) : ''}
    ${
      node.journal?.length
        ? html`<p>Last lines of the unit's journal:</p>
            <pre class="journal">${node.journal.join('\n')}</pre>`
        : ''
    }
  </section>`;
}

function renderSteps(steps: readonly RolloutStep[]): SafeHtml {
  return html`<table class="steps">
    <thead>
      <tr>
        <th>step</th>
        <th>started</th>
        <th>duration</th>
        <th>tasks</th>
        <th>outcome</th>
        <th>detail</th>
      </tr>
    </thead>
    <tbody>
      ${steps.map(
        (step) =>
          html`<tr data-step="${step.step}" data-outcome="${step.outcome}">
            <td>${step.step}</td>
            <td class="num">+${formatSeconds(step.start)}</td>
            <td class="num">${formatSeconds(step.seconds)}</td>
            <td class="num">${step.tasks}</td>
            <td class="${outcomeClass(step.outcome)}">${step.outcome}</td>
            <td class="error">
              ${step.failedTask ? `${step.failedTask.replace(/^\S+ : /, '')}: ${step.error ?? ''}` : ''}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function renderGates(gates: readonly HealthGateResult[]): SafeHtml {
  return html`<table class="gates">
    <thead>
      <tr>
        <th>health gate</th>
        <th>result</th>
        <th>healthy after</th>
        <th>gate duration</th>
        <th>/version</th>
        <th>detail</th>
      </tr>
    </thead>
    <tbody>
      ${gates.map((gate) => {
        const result = gate.passed ? 'passed' : 'failed';
        return html`<tr data-gate="${gate.gate}" data-result="${result}">
          <td>${gate.gate === 'deploy' ? 'new release' : 'rollback to the previous release'}</td>
          <td class="${outcomeClass(result)}">${result}</td>
          <td class="num">
            ${gate.secondsToHealthy === undefined ? '' : formatSeconds(gate.secondsToHealthy)}
          </td>
          <td class="num">${formatSeconds(gate.seconds)}</td>
          <td>${gate.version ?? ''}</td>
          <td class="error">${gate.message ?? ''}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
