import { html, SafeHtml } from './html';

/**
 * Self-contained: the page is one file a person opens from dist/ or a CI artifact, offline. The policy forbids
 * every fetch and every script, inline or not, so nothing in a report can load or run anything.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
.verdict { font-weight: 600; } .meta { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.outcome { font-weight: 600; white-space: nowrap; }
.outcome-healthy, .outcome-ok, .outcome-passed, .outcome-changed, .outcome-active { color: var(--ok); }
.outcome-failed, .outcome-unreachable, .outcome-refused, .outcome-unhealthy, .outcome-problem { color: var(--bad); }
.outcome-not-reached, .outcome-not-installed, .outcome-skipped { color: var(--muted); }
.node { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem .75rem; margin: .75rem 0; }
.node.is-bad { border-color: var(--bad); }
.timeline { display: grid; grid-template-columns: 8rem 1fr 5rem; gap: 2px .5rem; align-items: center; margin: .5rem 0; }
.track { position: relative; height: 1rem; background: #f6f8fa; }
.bar { position: absolute; top: 0; bottom: 0; min-width: 2px; background: var(--ok); }
.bar.outcome-changed { background: #2da44e; } .bar.outcome-failed, .bar.outcome-unreachable { background: var(--bad); }
.error { color: var(--bad); white-space: pre-wrap; word-break: break-word; }
pre.journal { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: 12px; white-space: pre-wrap; }
`;

export function renderPage(title: string, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title}</title>
      <style>
        ${new SafeHtml(STYLE)}
      </style>
    </head>
    <body>
      ${body}
    </body>
  </html> `}`;
}

/** A word as a class name: "not reached" → outcome-not-reached. */
export function outcomeClass(outcome: string): string {
  return `outcome outcome-${outcome.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** Seconds as a person reads them: 0.4 s, 12.3 s, 2 min 5 s. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
