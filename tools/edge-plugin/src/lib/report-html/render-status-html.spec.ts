import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readStatusReport } from './test/fixtures';
import { renderStatusHtml } from './render-status-html';

describe('renderStatusHtml', () => {
  it('is one self-contained page and escapes what nodes report', () => {
    const report = readStatusReport();
    report.rows[0]!.node = '<b>edge</b>';
    report.rows[0]!.history[0]!.error = '</td><script>x()</script>';
    const page = renderStatusHtml(report);
    assert.doesNotMatch(page, /<script|<link|<img|src=|href=|<b>/i);
    assert.match(page, /&lt;b&gt;edge&lt;\/b&gt;/);
    assert.match(page, /&lt;\/td&gt;&lt;script&gt;x\(\)&lt;\/script&gt;/);
  });

  it("says which rows come from a node's pull report, and when the node wrote it", () => {
    const report = readStatusReport();
    report.rows[0]!.reportedAt = '2026-12-04T05:00:00Z';
    const page = renderStatusHtml(report);
    assert.match(page, /data-reported-at="2026-12-04T05:00:00Z">pull report of 2026-12-04T05:00:00Z</);
    assert.equal(page.match(/data-reported-at=/g)?.length, 1);
  });
});
