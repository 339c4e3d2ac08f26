/**
 * The starting text of a generated playbook, per language: a summary from the numbers and the standard steps a
 * team lead then edits. Pure and translated here because playbooks are customer-facing know-how in the agent's
 * language, not UI chrome.
 */
export type PlaybookLocale = 'en' | 'bn' | 'hi';

export interface DraftFacts {
  category: string;
  contacts: number;
  days: number;
  medianHoursToSolve: number | null;
  goodExamples: number;
  articleCount: number;
}

const fmt = (locale: PlaybookLocale, n: number) =>
  new Intl.NumberFormat(locale === 'en' ? 'en-IN' : `${locale}-IN`, { maximumFractionDigits: 1 }).format(n);

export function draftPlaybookText(locale: PlaybookLocale, f: DraftFacts): { title: string; summary: string; steps: string[] } {
  const median = f.medianHoursToSolve === null ? null : fmt(locale, f.medianHoursToSolve);
  if (locale === 'bn') {
    return {
      title: `${f.category}: যেভাবে সমাধান করি`,
      summary: `গত ${fmt(locale, f.days)} দিনে ${fmt(locale, f.contacts)}টি যোগাযোগ।${median ? ` সমাধানে মধ্যমা সময় ${median} ঘণ্টা।` : ''} নিচের উদাহরণগুলো ভালো রেটিং পাওয়া উত্তর থেকে নেওয়া।`,
      steps: [
        'গ্রাহককে ধন্যবাদ দিন এবং সমস্যাটি নিজের ভাষায় মিলিয়ে নিন।',
        'অর্ডার/অ্যাকাউন্টের তথ্য যাচাই করুন; প্রয়োজনে শুধু একবারই বাকি তথ্য চেয়ে নিন।',
        ...(f.articleCount > 0 ? ['সংযুক্ত নিবন্ধটি পড়ে নিন এবং উত্তরে লিংক দিন।'] : []),
        ...(f.goodExamples > 0 ? ['নিচের উদাহরণ উত্তরের মতো পরিষ্কার সমাধান ও সময়সীমা জানান।'] : ['পরিষ্কার সমাধান ও সময়সীমা জানান।']),
        'কাজ বাকি থাকলে ফলো-আপের সময় ঠিক করুন; সমাধান হলে টিকিটটি সমাধিত করুন।',
      ],
    };
  }
  if (locale === 'hi') {
    return {
      title: `${f.category}: हम इसे कैसे हल करते हैं`,
      summary: `पिछले ${fmt(locale, f.days)} दिनों में ${fmt(locale, f.contacts)} संपर्क।${median ? ` हल करने का माध्य समय ${median} घंटे।` : ''} नीचे के उदाहरण अच्छी रेटिंग पाने वाले जवाबों से लिए गए हैं।`,
      steps: [
        'ग्राहक का धन्यवाद करें और समस्या को अपने शब्दों में दोहराकर पुष्टि करें।',
        'ऑर्डर/खाते की जानकारी जाँचें; ज़रूरत हो तो बाकी जानकारी एक ही बार में माँगें।',
        ...(f.articleCount > 0 ? ['जुड़ा हुआ लेख पढ़ें और जवाब में उसका लिंक दें।'] : []),
        ...(f.goodExamples > 0 ? ['नीचे दिए उदाहरण जवाबों की तरह साफ़ समाधान और समय-सीमा बताएँ।'] : ['साफ़ समाधान और समय-सीमा बताएँ।']),
        'काम बाकी हो तो फ़ॉलो-अप का समय तय करें; हल होने पर टिकट को हल किया हुआ करें।',
      ],
    };
  }
  return {
    title: `${f.category}: how we resolve it`,
    summary: `${fmt(locale, f.contacts)} contacts in the last ${fmt(locale, f.days)} days.${median ? ` Median time to solve: ${median} hours.` : ''} The examples below are replies that earned good ratings.`,
    steps: [
      'Thank the customer and confirm the problem in your own words.',
      'Check the order or account details; if something is missing, ask for all of it in one message.',
      ...(f.articleCount > 0 ? ['Read the linked article and include its link in your reply.'] : []),
      ...(f.goodExamples > 0
        ? ['Give a clear fix and a time frame, like the example replies below.']
        : ['Give a clear fix and a time frame.']),
      'If work remains, set a follow-up; when it is fixed, solve the ticket.',
    ],
  };
}
