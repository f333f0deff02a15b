// What the user typed into Search Mail, as the words to find: whitespace separates words, "double quotes" keep a
// phrase together. Each word must match (in sender, subject or text).

export function searchWords(input: string): string[] {
  const words: string[] = [];
  for (const match of input.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const word = (match[1] ?? match[2] ?? '').trim();
    if (word) words.push(word);
  }
  return words;
}
