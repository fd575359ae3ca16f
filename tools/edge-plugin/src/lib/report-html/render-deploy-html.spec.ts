import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFailedGateReport } from './test/fixtures';
import { renderDeployHtml } from './render-deploy-html';

describe('renderDeployHtml', () => {
  it('is one self-contained page: no script, no external reference, a policy that forbids both', () => {
    const page = renderDeployHtml([readFailedGateReport()]);
    assert.match(page, /^<!doctype html>/);
    assert.match(
      page,
      /Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;/,
    );
    assert.doesNotMatch(page, /<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
  });

  it('escapes names and error text from nodes and builds', () => {
    const report = readFailedGateReport();
    const hostile = '<script>alert(1)</script>';
    report.service = `svc${hostile}`;
    report.nodes[0]!.node = `node"${hostile}`;
    report.nodes[0]!.error = `failed: ${hostile}`;
    report.nodes[0]!.journal = [hostile];
    const page = renderDeployHtml([report], { inventory: hostile });
    assert.doesNotMatch(page, /<script>/);
    assert.match(page, /node&quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('one rollout of several services (npm start): a section each, the nodes of all on one time axis', () => {
    const first = readFailedGateReport();
    const second = { ...readFailedGateReport(), service: 'telemetry-gateway', success: true };
    for (const node of second.nodes)
      node.steps = node.steps!.map((step) => ({ ...step, start: step.start * 2 }));
    const page = renderDeployHtml([first, second]);
    assert.match(page, /<title>edgeship deploy: hello-edge, telemetry-gateway<\/title>/);
    assert.equal(page.match(/<section class="service"/g)?.length, 2);
    const axis = Math.max(
      ...second.nodes.flatMap((node) => node.steps!.map((step) => step.start + step.seconds)),
    );
    const last = second.nodes[0]!.steps!.at(-1)!;
    // The latest step of the run ends at the right edge; the first service's bars are scaled to the same axis.
    assert.ok(page.includes(`left: ${((last.start / axis) * 100).toFixed(2)}%`));
  });

  it('shows a report with no node (a service whose build failed) as not deployed', () => {
    const page = renderDeployHtml([
      { service: 'svc', version: '', rollout: ['svc'], success: false, exitCode: 1, seconds: 0, nodes: [] },
    ]);
    assert.match(page, /svc: <span class="outcome outcome-failed">not deployed<\/span>/);
  });
});
