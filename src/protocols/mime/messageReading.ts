// The MIME reading a local store is handed (mail/types.ts MessageReading): summaries for its index and text for
// its search, both from protocols/mime, so no other layer parses MIME.
import type { MessageReading } from '../../mail/types';
import { searchableText } from './searchableText';
import { summarizeHeaders } from './summarizeHeaders';

export const mimeReading: MessageReading = { summarize: summarizeHeaders, searchableText };
