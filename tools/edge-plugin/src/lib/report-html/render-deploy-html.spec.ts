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

  it('shows a report with no node (a service whose build failed) as not deployed', () => {
    const page = renderDeployHtml([
      { service: 'svc', version: '', rollout: ['svc'], success: false, exitCode: 1, seconds: 0, nodes: [] },
    ]);
    assert.match(page, /svc: <span class="outcome outcome-failed">not deployed<\/span>/);
  });
});
