// "Copy as Markdown" of a real report whose certificates carry hostile text: rendered by a real Markdown renderer
// (markdown-it with raw HTML and linkify on, the most permissive ticket system), nothing may become a link, an image
// or HTML, and the hostile text must still be readable as text.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { reportToMarkdown } from '@/components/report/markdown';
import { mdFence, mdText } from '@/components/report/markdown-escape';
import { days, makePki, makeUser } from '@/test/pki/gen';
import { diagnose } from '@/test/pki/diagnose';

const md = new MarkdownIt({ html: true, linkify: true });
const LINK = '[x](javascript:alert(1))';
const IMAGE = '![y](https://attacker.example/pixel.png)';
const HTML = '<img src=x onerror=alert(2)><script>alert(3)</script>';

/** The text a reader sees (tags removed, entities decoded). */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

describe('Copy as Markdown', () => {
  it('renders certificate-derived text as text, never as links, images or HTML', async () => {
    const hostile = `Eve ${LINK} ${IMAGE} ${HTML} | col`;
    const pki = await makePki({ user: { subject: `CN=${hostile.replace(/[,+=]/g, ' ')}`, notBefore: days(-400), notAfter: days(-1) } });
    const other = await makeUser(pki, { san: [{ type: 'upn', value: `${LINK}${HTML}@contoso.com` }] });
    const report = await diagnose({ certs: [pki.user, other, pki.ca, pki.root], upn: 'alice@contoso.com' });
    const text = reportToMarkdown(report, 'https://cba.example/r/abc_DEF-123');
    // The hostile values do reach the copy (otherwise this test would prove nothing).
    expect(text).toMatch(/javascript:alert\(1\)|javascript:alert\\\(1\\\)/);
    expect(text).toMatch(/onerror/);
    const html = md.render(text);
    expect(html).not.toMatch(/<img|<script/i);
    // Plain http(s) addresses may be linkified by the renderer (as a ticket system does with any text), but only as
    // themselves: no link whose text hides its target, and never another scheme.
    for (const [, href, label] of html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)) {
      expect(href).toMatch(/^(https?:\/\/|mailto:)/);
      expect(decodeURI(href).replace(/^mailto:/, '')).toBe(visibleText(label));
    }
    expect(html).toContain('href="https://cba.example/r/abc_DEF-123"');
    expect(html.match(/<table>/g)?.length).toBeGreaterThan(0);
    // Each table row keeps its three cells: a `|` from a value does not add columns.
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) expect((row.match(/<t[dh]>/g) ?? []).length).toBe(3);
    expect(visibleText(html)).toContain('javascript:alert(1)');
    expect(visibleText(html)).toContain('<img src x onerror alert(2)><script>alert(3)</script>');
  });

  it('escapes every inline construct and line-start marker in a value', () => {
    const values = [LINK, IMAGE, HTML, '# heading', '- item', '1. item', '> quote', '`code`', '**bold** _em_ ~~del~~', '&lt; &#60;', 'a\nb\r\n# c', '$x$', '\\[x](y)'];
    for (const v of values) {
      const html = md.render(`- value: ${mdText(v)}\n- ${mdText(v)}`);
      expect(html, v).not.toMatch(/<(img|script|h\d|strong|em|del|code|blockquote|ol|p)\b/);
      for (const [, href, label] of html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)) expect(decodeURI(href).replace(/^mailto:/, ''), v).toBe(visibleText(label));
      expect(visibleText(html).replace(/\s+/g, ' '), v).toContain(`value: ${v.replace(/\s+/g, ' ')}`);
    }
  });

  it('keeps a command with backtick fences inside one code block', () => {
    const cmd = 'echo ```\n<img src=x>\n````';
    const html = md.render(['- fix', '', ...mdFence(cmd, '    ')].join('\n'));
    expect(html.match(/<code/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(visibleText(html)).toContain(cmd);
  });
});
