import { html, type SafeHtml } from './html';
import { formatSeconds, outcomeClass } from './page';

export interface TimelineBar {
  label: string;
  /** Seconds from the start of the run. */
  start: number;
  seconds: number;
  outcome: string;
}

/**
 * One bar per step on a shared time axis (0 to `axis` seconds), drawn with CSS only: positions are
 * percentages, so the page needs no script and no image.
 */
export function renderTimeline(bars: readonly TimelineBar[], axis: number): SafeHtml {
  const percent = (seconds: number) => `${Math.min(100, Math.max(0, (seconds / axis) * 100)).toFixed(2)}%`;
  return html`<div class="timeline" role="list" aria-label="rollout timeline, 0 to ${formatSeconds(axis)}">
    ${bars.map(
      (bar) =>
        html`<span role="listitem">${bar.label}</span>
          <span class="track"
            ><span
              class="bar ${outcomeClass(bar.outcome)}"
              style="left: ${percent(bar.start)}; width: ${percent(bar.seconds)}"
              title="${bar.label}: ${bar.outcome}, +${formatSeconds(bar.start)} for ${formatSeconds(bar.seconds)}"
            ></span
          ></span>
          <span class="num">${formatSeconds(bar.seconds)}</span>`,
    )}
  </div>`;
}
