import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Block, MailContent, MailLang } from './types.ts';

/** The platform a mail comes from (config.branding, config.support). */
export interface MailBrand {
  platformName: string;
  supportEmail?: string | null;
  supportPhone?: string | null;
}
export const DEFAULT_MAIL_BRAND: MailBrand = { platformName: 'Passerelle' };

function footer(lang: MailLang, brand: MailBrand): string {
  const contact = [brand.supportEmail, brand.supportPhone].filter(Boolean).join(', ');
  const base =
    lang === 'fr'
      ? `Ce message vous est envoyé automatiquement par ${brand.platformName}, merci de ne pas y répondre.`
      : `This message was sent automatically by ${brand.platformName}; please do not reply to it.`;
  if (!contact) return base;
  return lang === 'fr' ? `${base} Pour toute question : ${contact}.` : `${base} For any question: ${contact}.`;
}
const SIGNATURE: Record<MailLang, string> = { fr: 'La cellule de coordination', en: 'The coordination team' };

/** Only web links become anchors; anything else is shown as text (defence in depth). */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function wrap(text: string, width = 76, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** "Identifiant : x" in French, "Identifier: x" in English. */
const COLON: Record<MailLang, string> = { fr: '\u00a0:', en: ':' };

function blockText(block: Block, lang: MailLang): string {
  switch (block.kind) {
    case 'p':
      return wrap(block.text);
    case 'warning':
      return wrap(`/!\\ ${block.text}`);
    case 'value':
      return `${block.label}${COLON[lang]} ${block.value}`;
    case 'link':
      return `${block.label}${COLON[lang]}\n${block.url}`;
    case 'steps':
      return block.items.map((item, i) => wrap(`${i + 1}. ${item}`, 76, '   ')).join('\n');
  }
}

export function renderText(content: MailContent, lang: MailLang, brand: MailBrand = DEFAULT_MAIL_BRAND): string {
  const parts = [content.greeting, ...content.blocks.map((block) => blockText(block, lang)), SIGNATURE[lang], `-- \n${wrap(footer(lang, brand))}`];
  return `${parts.join('\n\n')}\n`;
}

const MONO = 'font-family: Consolas, "Courier New", monospace; font-size: 1.15em; background: #f0f3f7; padding: 0.1em 0.4em; border-radius: 3px;';

function BlockHtml({ block, lang }: { block: Block; lang: MailLang }): ComponentChildren {
  switch (block.kind) {
    case 'p':
      return <p>{block.text}</p>;
    case 'warning':
      return (
        <p style="border-left: 4px solid #b34700; padding-left: 0.75em;">
          <strong>{block.text}</strong>
        </p>
      );
    case 'value':
      return (
        <p>
          {block.label}
          {COLON[lang]} <code style={MONO}>{block.value}</code>
        </p>
      );
    case 'link':
      return (
        <p>
          {block.label}
          {COLON[lang]}
          <br />
          {isWebUrl(block.url) ? <a href={block.url}>{block.url}</a> : <span>{block.url}</span>}
        </p>
      );
    case 'steps':
      return (
        <ol>
          {block.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ol>
      );
  }
}

/** A complete HTML document; preact escapes every text node and attribute. */
export function renderHtml(content: MailContent, subject: string, lang: MailLang, brand: MailBrand = DEFAULT_MAIL_BRAND): string {
  const html = renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body style="font-family: Arial, Helvetica, sans-serif; color: #1e1e1e; line-height: 1.5; max-width: 42em; margin: 0 auto; padding: 1em;">
        <p>{content.greeting}</p>
        {content.blocks.map((block, i) => (
          <BlockHtml key={i} block={block} lang={lang} />
        ))}
        <p>{SIGNATURE[lang]}</p>
        <hr style="border: none; border-top: 1px solid #ccc;" />
        <p style="font-size: 0.85em; color: #555;">{footer(lang, brand)}</p>
      </body>
    </html>,
  );
  return `<!doctype html>${html}`;
}
