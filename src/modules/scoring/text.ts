import { stemmer } from 'stemmer';
import stopwordList from './cues/stopwords.json' with { type: 'json' };

const STOPWORDS = new Set<string>(stopwordList);

/** Strips what is not prose (links, markdown, HTML entities) before tokenising or matching cues. */
export function cleanText(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/[*_>#`~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower-cased word tokens; letters and digits of any script, apostrophes kept inside words. */
export function words(text: string): string[] {
  return cleanText(text).toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/** Stemmed content terms: stopwords and one-letter tokens dropped. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(stemmer(w.replace(/['’]s$/, '')));
  }
  return out;
}
