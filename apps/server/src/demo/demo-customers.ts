import { DEMO_ORGANISATIONS } from './demo-catalogue.ts';
import { DemoRandom } from './demo-random.ts';
import type { DemoLanguage } from './text/index.ts';

/** [Latin, native script] name pairs; English names have no second form. */
const NAMES: Record<
  DemoLanguage,
  { first: ReadonlyArray<readonly [string, string]>; last: ReadonlyArray<readonly [string, string]> }
> = {
  en: {
    first: [
      'Emma',
      'Oliver',
      'Sophie',
      'James',
      'Grace',
      'Daniel',
      'Chloe',
      'Liam',
      'Hannah',
      'Thomas',
      'Olivia',
      'Jack',
      'Amelia',
      'Samuel',
      'Isla',
      'Henry',
      'Lucy',
      'George',
      'Ella',
      'Noah',
      'Priya',
      'Karan',
      'Meera',
      'Aditya',
    ].map((n) => [n, n] as const),
    last: [
      'Smith',
      'Jones',
      'Taylor',
      'Brown',
      'Wilson',
      'Evans',
      'Walker',
      'Wright',
      'Green',
      'Hall',
      'Clarke',
      'Hughes',
      "D'Souza",
      'Fernandes',
      'Pereira',
      'Iyer',
      'Menon',
      'Nair',
      'Reddy',
      'Rao',
    ].map((n) => [n, n] as const),
  },
  bn: {
    first: [
      ['Sourav', 'সৌরভ'],
      ['Ananya', 'অনন্যা'],
      ['Rupa', 'রূপা'],
      ['Tanvir', 'তানভীর'],
      ['Nusrat', 'নুসরাত'],
      ['Mitali', 'মিতালি'],
      ['Rakib', 'রাকিব'],
      ['Sumaiya', 'সুমাইয়া'],
      ['Debashis', 'দেবাশিস'],
      ['Moumita', 'মৌমিতা'],
      ['Arif', 'আরিফ'],
      ['Shreya', 'শ্রেয়া'],
      ['Partha', 'পার্থ'],
      ['Farhana', 'ফারহানা'],
      ['Joydeep', 'জয়দীপ'],
      ['Tania', 'তানিয়া'],
      ['Sabbir', 'সাব্বির'],
      ['Priyanka', 'প্রিয়াঙ্কা'],
      ['Rezaul', 'রেজাউল'],
      ['Koel', 'কোয়েল'],
      ['Arnab', 'অর্ণব'],
      ['Sharmistha', 'শর্মিষ্ঠা'],
    ],
    last: [
      ['Das', 'দাস'],
      ['Sen', 'সেন'],
      ['Roy', 'রায়'],
      ['Chowdhury', 'চৌধুরী'],
      ['Banerjee', 'ব্যানার্জি'],
      ['Mukherjee', 'মুখার্জি'],
      ['Hossain', 'হোসেন'],
      ['Rahman', 'রহমান'],
      ['Islam', 'ইসলাম'],
      ['Ghosh', 'ঘোষ'],
      ['Saha', 'সাহা'],
      ['Dutta', 'দত্ত'],
      ['Akter', 'আক্তার'],
      ['Bose', 'বসু'],
      ['Sarkar', 'সরকার'],
      ['Majumdar', 'মজুমদার'],
    ],
  },
  hi: {
    first: [
      ['Rahul', 'राहुल'],
      ['Priya', 'प्रिया'],
      ['Amit', 'अमित'],
      ['Neha', 'नेहा'],
      ['Vikas', 'विकास'],
      ['Pooja', 'पूजा'],
      ['Sanjay', 'संजय'],
      ['Kavita', 'कविता'],
      ['Rohit', 'रोहित'],
      ['Anjali', 'अंजलि'],
      ['Manoj', 'मनोज'],
      ['Sunita', 'सुनीता'],
      ['Deepak', 'दीपक'],
      ['Ritu', 'रितु'],
      ['Arun', 'अरुण'],
      ['Meena', 'मीना'],
      ['Suresh', 'सुरेश'],
      ['Swati', 'स्वाति'],
      ['Nikhil', 'निखिल'],
      ['Shalini', 'शालिनी'],
    ],
    last: [
      ['Sharma', 'शर्मा'],
      ['Verma', 'वर्मा'],
      ['Gupta', 'गुप्ता'],
      ['Singh', 'सिंह'],
      ['Yadav', 'यादव'],
      ['Mishra', 'मिश्रा'],
      ['Agarwal', 'अग्रवाल'],
      ['Chauhan', 'चौहान'],
      ['Pandey', 'पांडे'],
      ['Tiwari', 'तिवारी'],
      ['Joshi', 'जोशी'],
      ['Patel', 'पटेल'],
      ['Saxena', 'सक्सेना'],
      ['Srivastava', 'श्रीवास्तव'],
    ],
  },
};

const MAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export interface DemoCustomer {
  name: string;
  /** how agents greet them ({name}) */
  firstName: string;
  email: string;
  phone: string | null;
  locale: DemoLanguage;
  /** index into DEMO_ORGANISATIONS */
  organisation: number | null;
  createdDaysAgo: number;
}

/** The desk's customers. Always the same list for the same count (a fixed seed), so a re-run finds them again. */
export function generateCustomers(count: number): DemoCustomer[] {
  const rnd = new DemoRandom(0x5e7a);
  const emails = new Set<string>();
  const phones = new Set<string>();
  const out: DemoCustomer[] = [];
  for (let i = 0; i < count; i += 1) {
    const locale = rnd.weighted({ en: 45, bn: 30, hi: 25 } as const);
    const [firstLatin, firstNative] = rnd.pick(NAMES[locale].first);
    const [lastLatin, lastNative] = rnd.pick(NAMES[locale].last);
    const native = locale !== 'en' && rnd.chance(0.5);
    const orgChoices = DEMO_ORGANISATIONS.map((o, idx) => ({ o, idx })).filter((x) => x.o.locale === locale);
    const organisation = rnd.chance(0.12) && orgChoices.length > 0 ? rnd.pick(orgChoices).idx : null;
    const domain =
      organisation === null ? rnd.pick(MAIL_DOMAINS) : (DEMO_ORGANISATIONS[organisation]?.domain ?? 'example.com');
    const local = `${firstLatin}.${lastLatin}`.toLowerCase().replace(/[^a-z.]/g, '');
    let email = `${local}@${domain}`;
    for (let n = rnd.int(2, 99); emails.has(email); n += 1) email = `${local}${n}@${domain}`;
    emails.add(email);
    let phone: string | null = null;
    if (rnd.chance(0.65)) {
      do
        phone = `+91${rnd.pick(['98', '97', '96', '91', '88', '79', '70', '63'])}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
      while (phones.has(phone));
      phones.add(phone);
    }
    out.push({
      name: native ? `${firstNative} ${lastNative}` : `${firstLatin} ${lastLatin}`,
      firstName: native ? firstNative : firstLatin,
      email,
      phone,
      locale,
      organisation,
      createdDaysAgo: rnd.int(180, 400),
    });
  }
  return out;
}
