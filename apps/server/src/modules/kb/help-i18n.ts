import type { KbLocale } from '@seva/contracts';

/** Help-centre interface strings (server-rendered pages), complete in English, Bengali and Hindi. */
const en = {
  languageName: 'English',
  home: 'Home',
  searchPlaceholder: 'Search for answers…',
  searchButton: 'Search',
  searchHeading: 'How can we help?',
  resultsFor: 'Results for “{q}”',
  noResults: 'We found no articles for “{q}”. Try other words, or contact us.',
  categories: 'Categories',
  articles: 'Articles',
  noArticles: 'No articles here yet.',
  related: 'Related articles',
  helpfulQuestion: 'Was this article helpful?',
  yes: 'Yes',
  no: 'No',
  thanks: 'Thank you for your feedback.',
  votes: '{n} of {total} found this helpful',
  contact: 'Still need help? Contact us',
  updated: 'Updated',
  notFound: 'We could not find that page.',
  backHome: 'Back to the help centre',
  language: 'Language',
  skip: 'Skip to content',
} as const;

export type HelpStrings = { [K in keyof typeof en]: string };

const bn: HelpStrings = {
  languageName: 'বাংলা',
  home: 'হোম',
  searchPlaceholder: 'উত্তর খুঁজুন…',
  searchButton: 'খুঁজুন',
  searchHeading: 'আমরা কীভাবে সাহায্য করতে পারি?',
  resultsFor: '“{q}”-এর ফলাফল',
  noResults: '“{q}”-এর জন্য কোনো নিবন্ধ পাওয়া যায়নি। অন্য শব্দ দিয়ে চেষ্টা করুন, অথবা আমাদের সঙ্গে যোগাযোগ করুন।',
  categories: 'বিভাগ',
  articles: 'নিবন্ধ',
  noArticles: 'এখানে এখনও কোনো নিবন্ধ নেই।',
  related: 'সম্পর্কিত নিবন্ধ',
  helpfulQuestion: 'এই নিবন্ধটি কি সহায়ক ছিল?',
  yes: 'হ্যাঁ',
  no: 'না',
  thanks: 'আপনার মতামতের জন্য ধন্যবাদ।',
  votes: '{total} জনের মধ্যে {n} জন এটি সহায়ক মনে করেছেন',
  contact: 'এখনও সাহায্য দরকার? আমাদের সঙ্গে যোগাযোগ করুন',
  updated: 'হালনাগাদ',
  notFound: 'পাতাটি খুঁজে পাওয়া যায়নি।',
  backHome: 'সহায়তা কেন্দ্রে ফিরে যান',
  language: 'ভাষা',
  skip: 'মূল বিষয়ে যান',
};

const hi: HelpStrings = {
  languageName: 'हिन्दी',
  home: 'होम',
  searchPlaceholder: 'जवाब खोजें…',
  searchButton: 'खोजें',
  searchHeading: 'हम आपकी कैसे मदद कर सकते हैं?',
  resultsFor: '“{q}” के परिणाम',
  noResults: '“{q}” के लिए कोई लेख नहीं मिला। दूसरे शब्दों से खोजें, या हमसे संपर्क करें।',
  categories: 'श्रेणियाँ',
  articles: 'लेख',
  noArticles: 'यहाँ अभी कोई लेख नहीं है।',
  related: 'संबंधित लेख',
  helpfulQuestion: 'क्या यह लेख मददगार था?',
  yes: 'हाँ',
  no: 'नहीं',
  thanks: 'आपकी प्रतिक्रिया के लिए धन्यवाद।',
  votes: '{total} में से {n} लोगों को यह मददगार लगा',
  contact: 'अब भी मदद चाहिए? हमसे संपर्क करें',
  updated: 'अपडेट किया गया',
  notFound: 'यह पेज नहीं मिला।',
  backHome: 'सहायता केंद्र पर वापस जाएँ',
  language: 'भाषा',
  skip: 'मुख्य सामग्री पर जाएँ',
};

export const HELP_STRINGS: Record<KbLocale, HelpStrings> = { en, bn, hi };

export function helpText(locale: KbLocale, key: keyof HelpStrings, vars: Record<string, string | number> = {}): string {
  return HELP_STRINGS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** The best supported locale from an Accept-Language header, or null. */
export function localeFromAcceptLanguage(header: string | undefined): KbLocale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: (tag ?? '').toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if (lang === 'en' || lang === 'bn' || lang === 'hi') return lang;
  return null;
}
