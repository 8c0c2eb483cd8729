import { Parser } from 'htmlparser2';

export interface Heading {
  level: number;
  text: string;
}

/** What a product page says about itself, in reading order, without markup. */
export interface PageText {
  title: string;
  /** meta description, else og:description. */
  description: string;
  /** og:site_name or application-name: the product's own name when the page gives one. */
  siteName: string;
  lang: string;
  headings: Heading[];
  /** Text blocks (paragraphs, list items, cells) in order. */
  blocks: string[];
  /** The blocks joined, capped. */
  text: string;
}

// Chrome of the site rather than its pitch: menus, footers, forms, code and media.
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'nav',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'textarea',
  'dialog',
]);

const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'td',
  'th',
  'blockquote',
  'figcaption',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

const HEADING = /^h([1-6])$/;
const MAX_TEXT_CHARS = 20_000;
const MAX_BLOCKS = 500;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function hiddenByAttributes(attribs: Record<string, string>): boolean {
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  const role = attribs.role;
  if (role === 'navigation' || role === 'contentinfo' || role === 'dialog' || role === 'alertdialog') return true;
  // Consent banners repeat on every site and say nothing about the product.
  return /\b(cookie|consent|gdpr)/i.test(`${attribs.id ?? ''} ${attribs.class ?? ''}`);
}

/** Extracts title, description, headings and body text from an HTML document. */
export function extractPageText(html: string): PageText {
  const meta = new Map<string, string>();
  const headings: Heading[] = [];
  const blocks: string[] = [];
  let title = '';
  let lang = '';
  let inTitle = false;
  let current = '';
  let heading: { level: number; text: string } | undefined;
  // One entry per open element: whether its content is skipped.
  const skipStack: boolean[] = [];
  const skipping = () => skipStack.length > 0 && skipStack[skipStack.length - 1] === true;

  const flush = () => {
    const block = squash(current);
    current = '';
    if (block !== '' && blocks.length < MAX_BLOCKS) blocks.push(block);
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const skip = skipping() || SKIPPED.has(name) || hiddenByAttributes(attribs);
        skipStack.push(skip);
        if (name === 'html' && attribs.lang) lang = attribs.lang.trim().toLowerCase();
        if (name === 'title' && title === '') inTitle = true;
        if (name === 'meta') {
          const key = (attribs.name ?? attribs.property ?? '').trim().toLowerCase();
          if (key !== '' && attribs.content !== undefined && !meta.has(key)) meta.set(key, squash(attribs.content));
        }
        if (skip) return;
        if (BLOCKS.has(name)) flush();
        const h = HEADING.exec(name);
        if (h) heading = { level: Number(h[1]), text: '' };
        if (name === 'img' && attribs.alt && heading) heading.text += ` ${attribs.alt} `;
      },
      ontext(data) {
        if (inTitle) {
          title += data;
          return;
        }
        if (skipping()) return;
        current += data;
        if (heading) heading.text += data;
      },
      onclosetag(name) {
        const skipped = skipStack.pop() === true;
        if (name === 'title') inTitle = false;
        if (skipped) return;
        if (HEADING.test(name) && heading) {
          const text = squash(heading.text);
          if (text !== '') headings.push({ level: heading.level, text });
          heading = undefined;
        }
        if (BLOCKS.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();

  let text = blocks.join('\n');
  if (text.length > MAX_TEXT_CHARS) text = text.slice(0, MAX_TEXT_CHARS);
  return {
    title: squash(title),
    description: meta.get('description') || meta.get('og:description') || meta.get('twitter:description') || '',
    siteName: meta.get('og:site_name') || meta.get('application-name') || '',
    lang,
    headings,
    blocks,
    text,
  };
}
