// Mail HTML is hostile by default. DOMPurify removes everything that can run (scripts, handlers, javascript:
// URLs, forms, frames, objects, base, meta refresh, SVG and MathML); this file then removes everything that can
// reach the network (remote images, srcset, backgrounds, CSS url(), @import, fonts, posters) unless the user
// allowed remote content, and turns links into inert elements that only the extension can open.
import DOMPurify from 'dompurify';

export interface SanitizedMail {
  /** A complete document for the sandboxed iframe's srcdoc. */
  documentHtml: string;
  /** Remote items removed (0 when remote content was allowed). */
  blocked: number;
}

export const LINK_ATTRIBUTE = 'data-letterbox-href';

const FORBIDDEN_TAGS = [
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'base',
  'meta',
  'link',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'script',
  'noscript',
  'template',
  'portal',
  'dialog',
];
const FORBIDDEN_ATTRIBUTES = ['action', 'formaction', 'ping', 'srcdoc', 'target', 'http-equiv', 'autofocus'];

const REMOTE = /^\s*(?:https?:|ftp:|\/\/|[a-z][a-z0-9+.-]*:\/\/)/i;

export function sanitizeMail(
  html: string,
  options: { allowRemote: boolean; inlineImages: Record<string, string> },
): SanitizedMail {
  let blocked = 0;
  // A frameset document has no body, and DOMPurify returns nothing for it: its frames are gone either way, and an
  // empty body is shown instead of no message at all.
  const fragment =
    (DOMPurify.sanitize(html, {
      USE_PROFILES: { html: true },
      FORBID_TAGS: FORBIDDEN_TAGS,
      FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
      ALLOW_DATA_ATTR: false,
      FORCE_BODY: true,
      RETURN_DOM_FRAGMENT: true,
    }) as DocumentFragment | null) ?? document.createDocumentFragment();

  const resolveImage = (value: string): string | undefined => {
    const trimmed = value.trim();
    if (/^cid:/i.test(trimmed)) return options.inlineImages[contentIdOf(trimmed.slice(4))];
    if (/^data:image\//i.test(trimmed)) return trimmed;
    if (REMOTE.test(trimmed)) {
      if (options.allowRemote) return trimmed;
      blocked++;
      return undefined;
    }
    return undefined;
  };

  const walker = fragment.ownerDocument.createTreeWalker(fragment, NodeFilter.SHOW_ELEMENT);
  const elements: Element[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) elements.push(node as Element);
  for (const element of elements) {
    for (const name of ['src', 'poster', 'background', 'lowsrc', 'dynsrc']) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const safe = resolveImage(value);
      if (safe === undefined) element.removeAttribute(name);
      else element.setAttribute(name, safe);
    }
    const srcset = element.getAttribute('srcset');
    if (srcset !== null) {
      const candidates = srcset
        .split(',')
        .map((candidate) => candidate.trim())
        .filter(Boolean);
      const remote = candidates.filter((candidate) => REMOTE.test(candidate));
      if (remote.length && !options.allowRemote) {
        blocked += remote.length;
        element.removeAttribute('srcset');
      }
    }
    const style = element.getAttribute('style');
    if (style !== null) element.setAttribute('style', cleanCss(style));
    if (element.tagName === 'STYLE') element.textContent = cleanCss(element.textContent ?? '');
    if (element.tagName === 'A' || element.tagName === 'AREA') inertLink(element);
    // A <video>/<audio> may try to fetch a source without an attribute we cleaned above.
    if (element.tagName === 'SOURCE' || element.tagName === 'TRACK') {
      const source = element.getAttribute('src');
      if (source && resolveImage(source) === undefined) element.removeAttribute('src');
    }
  }

  function cleanCss(css: string): string {
    return (
      css
        .replace(/@import\s+[^;]+;?/gi, (rule) => {
          if (!options.allowRemote || !REMOTE.test(rule.replace(/@import\s+(url\()?\s*['"]?/i, ''))) blocked++;
          return options.allowRemote ? rule : '';
        })
        .replace(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi, (match, _quote: string, target: string) => {
          const safe = resolveImage(target);
          return safe === undefined ? 'none' : `url("${safe.replace(/"/g, '%22')}")`;
        })
        .replace(/image-set\(([^)]*)\)/gi, (match, inner: string) => {
          if (!REMOTE.test(inner.replace(/^[\s'"]+/, '')) && !/['"]\s*(?:https?:|\/\/)/i.test(inner)) return match;
          if (options.allowRemote) return match;
          blocked++;
          return 'none';
        })
        // Behaviours and expressions of old engines; nothing legitimate needs them in mail.
        .replace(/(?:expression|behavior|-moz-binding)\s*[:(][^;]*/gi, '')
    );
  }

  const body = fragment.ownerDocument.createElement('div');
  body.appendChild(fragment);
  return { documentHtml: wrapDocument(body.innerHTML, options.allowRemote), blocked };
}

function inertLink(element: Element): void {
  const href = element.getAttribute('href');
  element.removeAttribute('href');
  if (!href) return;
  const trimmed = href.trim();
  if (/^(?:https?:|mailto:)/i.test(trimmed)) {
    element.setAttribute(LINK_ATTRIBUTE, trimmed);
    element.setAttribute('title', trimmed);
    element.setAttribute('role', 'link');
    element.setAttribute('tabindex', '0');
  }
}

/** The frame's own document: its CSP repeats the page's, so the mail is fenced in twice. */
function wrapDocument(body: string, allowRemote: boolean): string {
  const remote = allowRemote ? ' https: http:' : '';
  const csp = `default-src 'none'; img-src data:${remote}; style-src 'unsafe-inline'${remote}; font-src data:${remote}`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>
  html { color-scheme: light; }
  body { margin: 0; padding: 16px; background: #fff; color: #1f1f1f; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  table { max-width: 100%; }
  pre { white-space: pre-wrap; }
  [${LINK_ATTRIBUTE}] { color: #0b63c5; text-decoration: underline; cursor: pointer; }
  blockquote { margin: 0 0 0 4px; padding-left: 12px; border-left: 3px solid #c8c8c8; color: #555; }
</style></head><body>${body}</body></html>`;
}

/** The Content-ID a cid: URL names (RFC 2392: URL-encoded). A malformed escape ("%E0%A4%A") is taken literally
 *  rather than thrown: one broken reference must not stop the whole message from showing. */
export function contentIdOf(encoded: string): string {
  let id = encoded;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    // Keep the raw text; it simply matches no inline part.
  }
  return id.replace(/^<|>$/g, '');
}
