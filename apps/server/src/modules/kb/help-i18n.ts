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
  contactTitle: 'Contact us',
  contactIntro: 'Tell us what you need and we will answer by email. Suggested articles may answer you sooner.',
  fieldName: 'Your name',
  fieldEmail: 'Email address',
  fieldSubject: 'Subject',
  fieldMessage: 'How can we help?',
  fieldCategory: 'Topic (optional)',
  categoryNone: 'Choose a topic',
  sendButton: 'Send message',
  errorSummary: 'Please correct the fields marked below.',
  errRequired: 'Please fill this in.',
  errEmail: 'Please enter an email address like name@example.com.',
  errTooLong: 'Please keep this under {max} characters.',
  errCategory: 'Please choose a topic from the list.',
  errExpired: 'This form expired. Please check your message and send it again.',
  errTooMany: 'Too many messages from your connection. Please wait a while and try again.',
  errNotSent: 'Your message could not be sent. Please try again.',
  sentTitle: 'Thank you — we received your message',
  sentBody:
    'Your request number is #{n}. We have emailed a confirmation to {email}; reply to that email to add anything.',
  sentBodyNoNumber: 'We have received your message and will reply by email.',
  suggestHeading: 'These articles might answer your question',
  suggestOpen: 'opens in a new tab',
  suggestSolved: 'This answered my question',
  suggestSolvedThanks: 'Glad we could help. You do not need to send the form.',
  honeypot: 'Leave this field empty',
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
  contactTitle: 'যোগাযোগ করুন',
  contactIntro: 'আপনার কী প্রয়োজন জানান, আমরা ইমেলে উত্তর দেব। প্রস্তাবিত নিবন্ধগুলো হয়তো আরও আগেই উত্তর দেবে।',
  fieldName: 'আপনার নাম',
  fieldEmail: 'ইমেল ঠিকানা',
  fieldSubject: 'বিষয়',
  fieldMessage: 'আমরা কীভাবে সাহায্য করতে পারি?',
  fieldCategory: 'বিষয়শ্রেণি (ঐচ্ছিক)',
  categoryNone: 'একটি বিষয়শ্রেণি বেছে নিন',
  sendButton: 'বার্তা পাঠান',
  errorSummary: 'নিচে চিহ্নিত ঘরগুলো ঠিক করুন।',
  errRequired: 'এই ঘরটি পূরণ করুন।',
  errEmail: 'name@example.com-এর মতো একটি ইমেল ঠিকানা লিখুন।',
  errTooLong: '{max} অক্ষরের মধ্যে লিখুন।',
  errCategory: 'তালিকা থেকে একটি বিষয়শ্রেণি বেছে নিন।',
  errExpired: 'ফর্মটির মেয়াদ শেষ হয়েছে। বার্তাটি দেখে আবার পাঠান।',
  errTooMany: 'আপনার সংযোগ থেকে অনেক বেশি বার্তা এসেছে। কিছুক্ষণ পরে আবার চেষ্টা করুন।',
  errNotSent: 'বার্তাটি পাঠানো যায়নি। আবার চেষ্টা করুন।',
  sentTitle: 'ধন্যবাদ — আমরা আপনার বার্তা পেয়েছি',
  sentBody: 'আপনার অনুরোধের নম্বর #{n}। আমরা {email} ঠিকানায় একটি নিশ্চিতকরণ ইমেল পাঠিয়েছি; কিছু যোগ করতে সেই ইমেলের উত্তর দিন।',
  sentBodyNoNumber: 'আমরা আপনার বার্তা পেয়েছি এবং ইমেলে উত্তর দেব।',
  suggestHeading: 'এই নিবন্ধগুলো হয়তো আপনার প্রশ্নের উত্তর দেবে',
  suggestOpen: 'নতুন ট্যাবে খোলে',
  suggestSolved: 'এতে আমার প্রশ্নের উত্তর পেয়েছি',
  suggestSolvedThanks: 'সাহায্য করতে পেরে আমরা খুশি। ফর্মটি পাঠানোর দরকার নেই।',
  honeypot: 'এই ঘরটি খালি রাখুন',
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
  contactTitle: 'हमसे संपर्क करें',
  contactIntro: 'बताइए आपको क्या चाहिए, हम ईमेल से जवाब देंगे। सुझाए गए लेख शायद पहले ही जवाब दे दें।',
  fieldName: 'आपका नाम',
  fieldEmail: 'ईमेल पता',
  fieldSubject: 'विषय',
  fieldMessage: 'हम आपकी कैसे मदद कर सकते हैं?',
  fieldCategory: 'श्रेणी (वैकल्पिक)',
  categoryNone: 'एक श्रेणी चुनें',
  sendButton: 'संदेश भेजें',
  errorSummary: 'कृपया नीचे चिह्नित फ़ील्ड ठीक करें।',
  errRequired: 'कृपया यह भरें।',
  errEmail: 'कृपया name@example.com जैसा ईमेल पता लिखें।',
  errTooLong: 'कृपया {max} अक्षरों से कम रखें।',
  errCategory: 'कृपया सूची से एक श्रेणी चुनें।',
  errExpired: 'यह फ़ॉर्म पुराना हो गया है। कृपया अपना संदेश देखकर फिर से भेजें।',
  errTooMany: 'आपके कनेक्शन से बहुत सारे संदेश आए हैं। कृपया थोड़ी देर बाद फिर कोशिश करें।',
  errNotSent: 'आपका संदेश नहीं भेजा जा सका। कृपया फिर कोशिश करें।',
  sentTitle: 'धन्यवाद — हमें आपका संदेश मिल गया',
  sentBody: 'आपके अनुरोध की संख्या #{n} है। हमने {email} पर पुष्टि का ईमेल भेजा है; कुछ जोड़ना हो तो उसी ईमेल का उत्तर दें।',
  sentBodyNoNumber: 'हमें आपका संदेश मिल गया है और हम ईमेल से जवाब देंगे।',
  suggestHeading: 'ये लेख शायद आपके सवाल का जवाब दें',
  suggestOpen: 'नए टैब में खुलता है',
  suggestSolved: 'इससे मेरे सवाल का जवाब मिल गया',
  suggestSolvedThanks: 'खुशी है कि हम मदद कर सके। फ़ॉर्म भेजने की ज़रूरत नहीं है।',
  honeypot: 'इस फ़ील्ड को खाली छोड़ें',
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
