import { readFileSync } from 'node:fs';
import { serverPath } from '../../platform/server-root.ts';
import { type NaiveBayesModel, predictNaiveBayes } from './naive-bayes.ts';
import { words } from './text-features.ts';

/**
 * A message-level sentiment signal (negative / neutral / positive with a score in −1…1):
 *  - Bengali script: a naive Bayes model over character n-grams trained on hand-labelled Bengali comments
 *    (bengali_drama_sentiment, Sazzed 2020, CC BY 4.0; built by build-sentiment-model.ts, ~230 KB);
 *  - English, Hindi (Devanagari) and romanised Hindi: a small lexicon with negation handling.
 * It is a signal for reports and customers at risk, not a verdict on a person.
 */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** −1 (very negative) … 1 (very positive) */
  score: number;
  method: 'model-bn' | 'lexicon';
}

const NEG = [
  // en
  'bad',
  'worst',
  'terrible',
  'awful',
  'horrible',
  'angry',
  'annoyed',
  'frustrated',
  'frustrating',
  'disappointed',
  'disappointing',
  'useless',
  'broken',
  'fail',
  'failed',
  'failure',
  'never',
  'unacceptable',
  'ridiculous',
  'poor',
  'slow',
  'rude',
  'scam',
  'fraud',
  'refund',
  'cancel',
  'complaint',
  'complain',
  'wrong',
  'problem',
  'issue',
  'error',
  'hate',
  'waste',
  'waiting',
  'still',
  'again',
  'nobody',
  'nothing',
  'lost',
  'stuck',
  'upset',
  'pathetic',
  'disgusting',
  'cheated',
  'lie',
  'lied',
  // hi (Devanagari)
  'बुरा',
  'ख़राब',
  'खराब',
  'बेकार',
  'गुस्सा',
  'नाराज़',
  'नाराज',
  'परेशान',
  'निराश',
  'धोखा',
  'शिकायत',
  'समस्या',
  'गलत',
  'ग़लत',
  'घटिया',
  'बकवास',
  'देर',
  'नहीं',
  'बंद',
  'टूटा',
  'वापस',
  'रिफंड',
  // romanised Hindi
  'bekar',
  'bekaar',
  'kharab',
  'ganda',
  'bakwas',
  'pareshan',
  'naraz',
  'dhokha',
  'shikayat',
  'galat',
  'ghatiya',
];
const POS = [
  // en
  'good',
  'great',
  'excellent',
  'thanks',
  'thank',
  'awesome',
  'amazing',
  'love',
  'happy',
  'helpful',
  'perfect',
  'resolved',
  'fixed',
  'quick',
  'fast',
  'appreciate',
  'wonderful',
  'nice',
  'satisfied',
  'best',
  'glad',
  'brilliant',
  'fantastic',
  'works',
  'working',
  // hi (Devanagari)
  'अच्छा',
  'अच्छी',
  'बढ़िया',
  'बहुत',
  'धन्यवाद',
  'शुक्रिया',
  'खुश',
  'ख़ुश',
  'शानदार',
  'बेहतरीन',
  'मदद',
  'सुंदर',
  'ठीक',
  'हल',
  // romanised Hindi
  'accha',
  'acha',
  'badhiya',
  'shukriya',
  'dhanyavad',
  'dhanyawad',
  'khush',
  'mast',
  'shandar',
  'zabardast',
];
const NEGATORS = new Set([
  'not',
  'no',
  "don't",
  'dont',
  'never',
  'nahi',
  'nahin',
  'नहीं',
  'न',
  'mat',
  'मत',
  "isn't",
  "wasn't",
  "didn't",
  'didnt',
]);
const NEG_SET = new Set(NEG.filter((w) => !NEGATORS.has(w)));
// 'बहुत' (very) and 'still/again' are intensifiers rather than opinions
const POS_SET = new Set(POS.filter((w) => w !== 'बहुत'));
const INTENSIFIERS = new Set(['very', 'so', 'really', 'extremely', 'बहुत', 'bahut', 'too']);

let bnModel: NaiveBayesModel | null | undefined;
function loadBnModel(): NaiveBayesModel | null {
  if (bnModel !== undefined) return bnModel;
  try {
    const file = serverPath('src', 'modules', 'classifier', 'sentiment-bn.model.json');
    bnModel = JSON.parse(readFileSync(file, 'utf8')) as NaiveBayesModel;
  } catch {
    bnModel = null;
  }
  return bnModel;
}

const BENGALI = /[\u0980-\u09FF]/g;

export function lexiconSentiment(text: string): Sentiment {
  const ws = words(text);
  let score = 0;
  for (let i = 0; i < ws.length; i += 1) {
    const w = ws[i] as string;
    let v = POS_SET.has(w) ? 1 : NEG_SET.has(w) ? -1 : 0;
    if (v === 0) continue;
    const prev = ws.slice(Math.max(0, i - 3), i);
    const next = ws.slice(i + 1, i + 2); // Hindi puts the negation after: "अच्छा नहीं"
    if (prev.some((p) => NEGATORS.has(p)) || next.some((p) => NEGATORS.has(p))) v = -v;
    if (prev.some((p) => INTENSIFIERS.has(p))) v *= 1.5;
    score += v;
  }
  const norm = Math.max(-1, Math.min(1, score / 3));
  return {
    label: norm <= -0.2 ? 'negative' : norm >= 0.2 ? 'positive' : 'neutral',
    score: Math.round(norm * 100) / 100,
    method: 'lexicon',
  };
}

export function sentimentOf(text: string): Sentiment {
  const letters = text.replace(/[\s\p{P}\p{N}]/gu, '').length;
  const bengali = (text.match(BENGALI) ?? []).length;
  const model = bengali > 0 && bengali >= letters * 0.3 ? loadBnModel() : null;
  if (model) {
    const [top] = predictNaiveBayes(model, text, 2);
    if (top) {
      const pNeg = top.label === 'negative' ? top.confidence : 1 - top.confidence;
      const score = Math.round((1 - 2 * pNeg) * 100) / 100;
      return { label: pNeg >= 0.6 ? 'negative' : pNeg <= 0.4 ? 'positive' : 'neutral', score, method: 'model-bn' };
    }
  }
  return lexiconSentiment(text);
}
