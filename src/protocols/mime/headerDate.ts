// The date a message says it was written, or nothing. mailparser turns a Date header it cannot parse into "now",
// which would show an old message as just arrived; this reads the header itself, the way mailparser would have.
import type { ParsedMail } from 'mailparser';

export function headerDate(parsed: Pick<ParsedMail, 'headerLines'>): Date | undefined {
  const line = parsed.headerLines?.find((header) => header.key === 'date')?.line;
  if (!line) return undefined;
  const value = line
    .replace(/^date\s*:/i, '')
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
