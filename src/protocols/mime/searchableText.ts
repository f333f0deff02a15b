// What a person could search for in a message: its text part, or the text of its HTML, decoded (not raw base64 or
// quoted-printable) and lower-cased, for the local store's search index (store/searchTexts.ts).

export async function searchableText(raw: Buffer, limit: number): Promise<string> {
  try {
    // Loaded on first use: see loadParser.ts for why.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    return normalise(parsed.text ?? '').slice(0, limit);
  } catch {
    return normalise(raw.toString('utf8')).slice(0, limit);
  }
}

export function normalise(text: string): string {
  return text.toLocaleLowerCase().replace(/\s+/g, ' ');
}
