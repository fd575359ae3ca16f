import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes every value put into the page, in text and in attributes', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    assert.equal(escapeHtml(name), '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;');
    assert.equal(
      html`<td title="${name}">${name}</td>`.markup,
      `<td title="${escapeHtml(name)}">${escapeHtml(name)}</td>`,
    );
  });

  it('keeps markup of another html template as it is; joins arrays; null, undefined and false render nothing', () => {
    const rows = ['a<b', 'c'].map((cell) => html`<td>${cell}</td>`);
    // Prettier formats html`` templates as HTML: the spaces between tags are not what is tested.
    const row = html`<tr>
      ${rows}${null}${undefined}${false}${0}
    </tr>`.markup
      .replace(/>\s+/g, '>')
      .replace(/\s+</g, '<');
    assert.equal(row, '<tr><td>a&lt;b</td><td>c</td>0</tr>');
  });
});
