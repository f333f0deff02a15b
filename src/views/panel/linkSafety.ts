// A link whose visible text looks like one address while it leads to another is phishing's oldest trick.

export interface LinkCheck {
  /** What to open, or undefined when the scheme is not one Letterbox opens. */
  target?: string;
  /** Set when the visible text names a different host than the link really goes to. */
  mismatch?: { shown: string; actual: string };
}

export function checkLink(href: string, text: string): LinkCheck {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return {};
  }
  if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return {};
  if (url.protocol === 'mailto:') return { target: url.toString() };
  const shown = hostInText(text);
  if (shown && !sameSite(shown, url.hostname))
    return { target: url.toString(), mismatch: { shown, actual: url.hostname } };
  return { target: url.toString() };
}

/** The host a link's text presents, if the text looks like an address at all. */
function hostInText(text: string): string | undefined {
  const candidate = text.trim().replace(/^[<(["']+|[>)\]"'.,;:]+$/g, '');
  if (!candidate || /\s/.test(candidate)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)
    ? candidate
    : /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(candidate)
      ? `https://${candidate}`
      : undefined;
  if (!withScheme) return undefined;
  try {
    return new URL(withScheme).hostname;
  } catch {
    return undefined;
  }
}

function sameSite(shown: string, actual: string): boolean {
  const strip = (host: string) => host.toLowerCase().replace(/^www\./, '');
  const a = strip(shown);
  const b = strip(actual);
  return a === b || b.endsWith(`.${a}`);
}
