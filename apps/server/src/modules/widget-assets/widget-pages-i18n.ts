/** Strings of the server-rendered widget pages (demo page, frame fallbacks), complete in en, bn and hi. */
export type PageLanguage = 'en' | 'bn' | 'hi';
export const PAGE_LANGUAGES: readonly PageLanguage[] = ['en', 'bn', 'hi'];

const en = {
  demoTitle: 'Seva help widget demo',
  demoIntro: 'This page embeds the help widget “{name}” the way a website would. Open it with the button in the corner.',
  demoSnippet: 'To put this widget on your site, paste this before </body>:',
  demoNoWidget: 'There is no help widget yet. Create one in Admin → Widgets, then reload this page.',
  demoUnknownKey: 'No active widget has this key. Check the key, or create a widget in Admin → Widgets.',
  demoLanguage: 'Language',
  frameNotFound: 'This help widget does not exist or is switched off.',
  frameNotBuilt: 'The help widget has not been built yet (npm run build).',
};

export type PageStrings = typeof en;

const bn: PageStrings = {
  demoTitle: 'সেবা সাহায্য উইজেটের ডেমো',
  demoIntro: 'একটি ওয়েবসাইট যেভাবে করবে, এই পাতাটি সেভাবেই “{name}” সাহায্য উইজেটটি যুক্ত করেছে। কোণের বোতাম দিয়ে এটি খুলুন।',
  demoSnippet: 'আপনার সাইটে এই উইজেট বসাতে </body>-এর আগে এটি পেস্ট করুন:',
  demoNoWidget: 'এখনও কোনো সাহায্য উইজেট নেই। Admin → Widgets-এ একটি তৈরি করুন, তারপর এই পাতাটি আবার লোড করুন।',
  demoUnknownKey: 'এই কী-র কোনো সক্রিয় উইজেট নেই। কী-টি দেখুন, অথবা Admin → Widgets-এ একটি উইজেট তৈরি করুন।',
  demoLanguage: 'ভাষা',
  frameNotFound: 'এই সাহায্য উইজেটটি নেই অথবা বন্ধ করা আছে।',
  frameNotBuilt: 'সাহায্য উইজেটটি এখনও বিল্ড করা হয়নি (npm run build)।',
};

const hi: PageStrings = {
  demoTitle: 'सेवा सहायता विजेट का डेमो',
  demoIntro: 'यह पेज “{name}” सहायता विजेट को वैसे ही जोड़ता है जैसे कोई वेबसाइट जोड़ेगी। कोने के बटन से इसे खोलें।',
  demoSnippet: 'यह विजेट अपनी साइट पर लगाने के लिए इसे </body> से पहले चिपकाएँ:',
  demoNoWidget: 'अभी कोई सहायता विजेट नहीं है। Admin → Widgets में एक बनाएँ, फिर यह पेज दोबारा लोड करें।',
  demoUnknownKey: 'इस कुंजी का कोई सक्रिय विजेट नहीं है। कुंजी जाँचें, या Admin → Widgets में एक विजेट बनाएँ।',
  demoLanguage: 'भाषा',
  frameNotFound: 'यह सहायता विजेट मौजूद नहीं है या बंद है।',
  frameNotBuilt: 'सहायता विजेट अभी बनाया नहीं गया है (npm run build)।',
};

export const PAGE_STRINGS: Record<PageLanguage, PageStrings> = { en, bn, hi };

/** ?lang= first, then the best of Accept-Language, then English. */
export function choosePageLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  const valid = (l: string | undefined): l is PageLanguage => !!l && (PAGE_LANGUAGES as readonly string[]).includes(l);
  if (valid(query)) return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: (tag ?? '').toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if (valid(lang)) return lang;
  return 'en';
}
