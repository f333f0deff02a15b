// Plain-text mail: escaped by construction (text nodes only), links made clickable, quoted lines set apart.
import { element } from './dom';
import { LINK_ATTRIBUTE } from './sanitizeMail';

const URL_PATTERN = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/gi;

export function renderPlainText(text: string): HTMLElement {
  const container = element('div', { class: 'plain-text' });
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const depth = /^(?:>\s?)+/.exec(line)?.[0].replace(/\s/g, '').length ?? 0;
    const row = element('div', { class: depth ? `line quote quote-${Math.min(depth, 3)}` : 'line' });
    appendLinkified(row, line || '\u00a0');
    container.append(row);
  }
  return container;
}

function appendLinkified(parent: HTMLElement, line: string): void {
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parent.append(line.slice(last, start));
    parent.append(
      element('span', { [LINK_ATTRIBUTE]: match[0], role: 'link', tabindex: '0', title: match[0] }, match[0]),
    );
    last = start + match[0].length;
  }
  if (last < line.length) parent.append(line.slice(last));
}
