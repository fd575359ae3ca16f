import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderDeployHtml } from '../render-deploy-html';
import { renderStatusHtml } from '../render-status-html';
import { withRenderedPage } from './chromium';
import { readFailedGateReport, readStatusReport } from './fixtures';
import { checkDeployPage, checkStatusPage } from './page-checks';

/*
 * The pages as a person sees them: rendered by headless Chromium (Debian's, installed by tools/bootstrap) from
 * recorded real reports. day2.spec renders the pages of a deploy and a status on a live fleet the same way.
 */
describe('the HTML reports in headless Chromium', { timeout: 120_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeship-report-html-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('deploy: per node the timeline, every step with duration and outcome, the failed gate as failed', async () => {
    const report = readFailedGateReport();
    const file = join(dir, 'deploy-report.html');
    await writeFile(file, renderDeployHtml([report]));
    await withRenderedPage(file, (page) => checkDeployPage(page, report));
  });

  it('deploy: hostile names and error text show as text; nothing runs, nothing is fetched', async () => {
    const report = readFailedGateReport();
    const hostile = `<img src="http://127.0.0.1:9/x.png" onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
    report.nodes[0]!.node = `edge-1${hostile}`;
    report.nodes[0]!.error = `failed ${hostile}`;
    const file = join(dir, 'hostile.html');
    await writeFile(file, renderDeployHtml([report], { inventory: hostile }));
    await withRenderedPage(file, async (page) => {
      assert.ok(page.text.includes(`edge-1${hostile}`), 'the name shows as the text it is');
      assert.equal(await page.evaluate('document.title'), 'edgeship deploy: hello-edge');
      assert.equal(await page.evaluate('document.querySelectorAll("img, script").length'), 0);
      assert.deepEqual(page.requests, []);
    });
  });

  it('status: per node each service, its unit and health, and its history with each gate outcome', async () => {
    const report = readStatusReport();
    const file = join(dir, 'status.html');
    await writeFile(file, renderStatusHtml(report));
    await withRenderedPage(file, (page) => checkStatusPage(page, report));
  });
});
