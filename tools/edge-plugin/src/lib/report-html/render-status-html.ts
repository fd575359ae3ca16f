import type { StatusReport } from '../../executors/status/lib/run-status';
import type { HistoryRecord, StatusRow } from '../../executors/status/lib/status-rows';
import { html, type SafeHtml } from './html';
import { formatSeconds, outcomeClass, renderPage } from './page';

export interface StatusHtmlOptions {
  inventory?: string;
  generatedAt?: Date;
}

/**
 * `status` as a page: per node, every service's current release, unit state and health check (/healthz and
 * /version, the gate a deploy passes, read now), and the node's history as its rollout timeline: each deploy
 * and rollback with when, from and to, and what its health gate said.
 */
export function renderStatusHtml(report: StatusReport, options: StatusHtmlOptions = {}): string {
  const nodes = [...new Set(report.rows.map((row) => row.node))];
  const flagged = report.rows.filter((row) => row.problem).length;
  const verdict = report.success
    ? `${report.rows.length} services × nodes on ${nodes.length} nodes: all healthy`
    : `${flagged} of ${report.rows.length} services × nodes need attention`;
  const body = html`<header>
      <h1>Fleet status</h1>
      <p
        class="verdict ${outcomeClass(report.success ? 'healthy' : 'failed')}"
        data-verdict="${report.success ? 'success' : 'failure'}"
      >
        ${verdict}
      </p>
      <p class="meta">
        ${options.inventory ? `inventory ${options.inventory} · ` : ''}read in
        ${formatSeconds(report.seconds)} · generated ${(options.generatedAt ?? new Date()).toISOString()}
      </p>
    </header>
    ${nodes.map((node) =>
      renderNode(
        node,
        report.rows.filter((row) => row.node === node),
      ),
    )}`;
  return renderPage('edgeship fleet status', body);
}

function renderNode(node: string, rows: readonly StatusRow[]): SafeHtml {
  const unreachable = rows.find((row) => row.unit === 'unreachable' || row.unit === 'probe failed');
  const isBad = rows.some((row) => row.problem);
  return html`<section
    class="node${isBad ? ' is-bad' : ''}"
    data-node="${node}"
    data-state="${unreachable ? unreachable.unit : isBad ? 'problem' : 'healthy'}"
  >
    <h2>
      ${node}${rows[0]?.arch ? ` (${rows[0].arch})` : ''}${unreachable ? html`: <span class="${outcomeClass('unreachable')}">${unreachable.unit}</span>` : ''}
    </h2>
    ${unreachable ? html`<p class="error">${unreachable.problem ?? ''}</p>` : ''}
    <table class="services">
      <thead>
        <tr>
          <th>service</th>
          <th>delivery</th>
          <th>release</th>
          <th>unit</th>
          <th>health</th>
          <th>since</th>
          <th>kept</th>
          <th>last deploy</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(renderRow)}
      </tbody>
    </table>
    ${rows.filter((row) => row.history.length > 0).map(renderHistory)}
  </section>`;
}

function renderRow(row: StatusRow): SafeHtml {
  const health = row.health || row.unit;
  const state = row.problem ? 'problem' : row.health === 'not installed' ? 'not installed' : 'healthy';
  return html`<tr data-service="${row.service}" data-state="${state}">
    <td>${row.service}</td>
    <td>${row.delivery}</td>
    <td>${row.release}</td>
    <td class="${outcomeClass(row.unit === 'active' ? 'active' : row.unit ? 'failed' : 'not installed')}">
      ${row.unit}${row.reportedAt ? html`<br /><span data-reported-at="${row.reportedAt}">pull report of ${row.reportedAt}</span>` : ''}
    </td>
    <td class="${outcomeClass(state === 'problem' ? 'problem' : state)}">
      ${health}${row.problem && row.problem !== health ? html`<br /><span class="error">${row.problem}</span>` : ''}
    </td>
    <td>${row.since}</td>
    <td class="num">${row.kept.length || ''}</td>
    <td>
      ${row.lastDeploy ? `${row.lastDeploy.action} ${row.lastDeploy.outcome}, ${row.lastDeploy.at}` : ''}
    </td>
  </tr>`;
}

function renderHistory(row: StatusRow): SafeHtml {
  return html`<h3>${row.service} on ${row.node}: history</h3>
    <table class="history" data-service="${row.service}">
      <thead>
        <tr>
          <th>when</th>
          <th>action</th>
          <th>from</th>
          <th>to</th>
          <th>health gate</th>
          <th>by</th>
          <th>detail</th>
        </tr>
      </thead>
      <tbody>
        ${row.history.map(
          (record: HistoryRecord) =>
            html`<tr data-action="${record.action}" data-outcome="${record.outcome}">
              <td>${record.at}</td>
              <td>${record.action}</td>
              <td>${record.from || '-'}</td>
              <td>${record.to ?? ''}</td>
              <td class="${outcomeClass(record.outcome)}">${record.outcome}</td>
              <td>${record.by ?? ''}</td>
              <td>
                ${record.reason ?? ''}${record.error ? html`<span class="error">${record.reason ? ': ' : ''}${record.error}</span>` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
