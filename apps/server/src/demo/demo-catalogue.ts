import type { StaffRole } from '../platform/auth/permissions.ts';
import type { CategoryKey } from './text/index.ts';

/** The desk's configuration: teams, categories, custom fields and the staff who work it. */
export const DEMO_ADMIN = { email: 'demo@seva.local', password: 'seva-demo-password', name: 'Demo Admin' } as const;

export type TeamKey = 'billing' | 'technical' | 'delivery' | 'plumbing' | 'care';

export const DEMO_TEAMS: ReadonlyArray<{ key: TeamKey; name: string; description: string }> = [
  { key: 'billing', name: 'Billing', description: 'Payments, invoices, refunds and EMI' },
  { key: 'technical', name: 'Technical', description: 'App, website, devices and accounts' },
  { key: 'delivery', name: 'Delivery', description: 'Orders in transit, couriers and addresses' },
  { key: 'plumbing', name: 'Plumbing', description: 'Home service visits: leaks, geysers and drains' },
  { key: 'care', name: 'Customer Care', description: 'Feedback, complaints and everything else' },
];

export const DEMO_CATEGORIES: ReadonlyArray<{
  key: CategoryKey;
  name: string;
  bn: string;
  hi: string;
  team: TeamKey;
  weight: number;
  tags: readonly string[];
}> = [
  {
    key: 'billing',
    name: 'Billing & payments',
    bn: 'বিল ও পেমেন্ট',
    hi: 'बिलिंग और भुगतान',
    team: 'billing',
    weight: 18,
    tags: ['invoice', 'double-charge', 'upi', 'emi'],
  },
  {
    key: 'delivery',
    name: 'Orders & delivery',
    bn: 'অর্ডার ও ডেলিভারি',
    hi: 'ऑर्डर और डिलीवरी',
    team: 'delivery',
    weight: 22,
    tags: ['late-delivery', 'courier', 'address-change'],
  },
  {
    key: 'returns',
    name: 'Returns & refunds',
    bn: 'ফেরত ও রিফান্ড',
    hi: 'वापसी और रिफ़ंड',
    team: 'billing',
    weight: 12,
    tags: ['refund', 'replacement', 'damaged'],
  },
  {
    key: 'technical',
    name: 'Technical problem',
    bn: 'প্রযুক্তিগত সমস্যা',
    hi: 'तकनीकी समस्या',
    team: 'technical',
    weight: 16,
    tags: ['app', 'bug', 'android', 'wifi'],
  },
  {
    key: 'account',
    name: 'Account & login',
    bn: 'অ্যাকাউন্ট ও লগইন',
    hi: 'खाता और लॉगिन',
    team: 'technical',
    weight: 10,
    tags: ['login', 'otp', 'data-deletion'],
  },
  {
    key: 'plumbing',
    name: 'Plumbing service',
    bn: 'প্লাম্বিং পরিষেবা',
    hi: 'प्लंबिंग सेवा',
    team: 'plumbing',
    weight: 12,
    tags: ['leak', 'geyser', 'visit-scheduled'],
  },
  {
    key: 'feedback',
    name: 'Feedback & complaints',
    bn: 'মতামত ও অভিযোগ',
    hi: 'सुझाव और शिकायत',
    team: 'care',
    weight: 10,
    tags: ['praise', 'complaint', 'suggestion'],
  },
];

export const DEMO_CUSTOM_FIELDS = [
  {
    key: 'order_number',
    label: 'Order number',
    translations: { bn: 'অর্ডার নম্বর', hi: 'ऑर्डर नंबर' },
    fieldType: 'text',
    options: [],
    position: 0,
  },
  {
    key: 'device',
    label: 'Device',
    translations: { bn: 'ডিভাইস', hi: 'डिवाइस' },
    fieldType: 'dropdown',
    options: [
      { value: 'android', label: 'Android', translations: { bn: 'অ্যান্ড্রয়েড', hi: 'एंड्रॉइड' } },
      { value: 'ios', label: 'iPhone', translations: { bn: 'আইফোন', hi: 'आईफ़ोन' } },
      { value: 'web', label: 'Website', translations: { bn: 'ওয়েবসাইট', hi: 'वेबसाइट' } },
    ],
    position: 1,
  },
  {
    key: 'under_warranty',
    label: 'Under warranty',
    translations: { bn: 'ওয়ারেন্টির মধ্যে', hi: 'वारंटी में' },
    fieldType: 'checkbox',
    options: [],
    position: 2,
  },
] as const;

export interface DemoStaffDef {
  name: string;
  email: string;
  role: StaffRole;
  locale: 'en' | 'bn' | 'hi';
  teams: readonly TeamKey[];
  /** the CEO, a finance colleague and a field technician are collaborators brought in on some tickets */
  brief?: 'ceo' | 'finance' | 'technician';
}

export const DEMO_STAFF: readonly DemoStaffDef[] = [
  { name: 'Ananya Sen', email: 'ananya.sen@seva.local', role: 'supervisor', locale: 'bn', teams: ['billing', 'care'] },
  {
    name: 'Rohit Sharma',
    email: 'rohit.sharma@seva.local',
    role: 'supervisor',
    locale: 'hi',
    teams: ['technical', 'delivery'],
  },
  { name: 'Farhana Akter', email: 'farhana.akter@seva.local', role: 'agent', locale: 'bn', teams: ['billing', 'care'] },
  {
    name: 'Sourav Ghosh',
    email: 'sourav.ghosh@seva.local',
    role: 'agent',
    locale: 'bn',
    teams: ['delivery', 'plumbing'],
  },
  { name: 'Pooja Yadav', email: 'pooja.yadav@seva.local', role: 'agent', locale: 'hi', teams: ['technical'] },
  { name: 'Arjun Mehta', email: 'arjun.mehta@seva.local', role: 'agent', locale: 'hi', teams: ['delivery', 'billing'] },
  { name: 'Emily Clarke', email: 'emily.clarke@seva.local', role: 'agent', locale: 'en', teams: ['technical', 'care'] },
  {
    name: 'Daniel Brooks',
    email: 'daniel.brooks@seva.local',
    role: 'agent',
    locale: 'en',
    teams: ['billing', 'delivery'],
  },
  {
    name: 'Imran Hossain',
    email: 'imran.hossain@seva.local',
    role: 'collaborator',
    locale: 'bn',
    teams: ['plumbing'],
    brief: 'technician',
  },
  {
    name: 'Nusrat Jahan',
    email: 'nusrat.jahan@seva.local',
    role: 'collaborator',
    locale: 'bn',
    teams: [],
    brief: 'finance',
  },
  {
    name: 'Vikram Rao (CEO)',
    email: 'vikram.rao@seva.local',
    role: 'collaborator',
    locale: 'en',
    teams: [],
    brief: 'ceo',
  },
];

export const DEMO_ORGANISATIONS = [
  { name: 'Rupali Traders', domain: 'rupalitraders.example', isShared: true, locale: 'bn' },
  { name: 'Sundarban Foods', domain: 'sundarbanfoods.example', isShared: false, locale: 'bn' },
  { name: 'Ganga Freight & Logistics', domain: 'gangafreight.example', isShared: true, locale: 'hi' },
  { name: 'Lotus Interiors', domain: 'lotusinteriors.example', isShared: false, locale: 'hi' },
  { name: 'Northwind Retail India', domain: 'northwind.example', isShared: true, locale: 'en' },
] as const;

export const CHANNEL_WEIGHTS = { email: 34, chat: 18, web: 14, phone: 10, whatsapp: 11, sms: 5, api: 8 } as const;
export const PRIORITY_WEIGHTS = { low: 20, normal: 55, high: 18, urgent: 7 } as const;
export const TYPE_WEIGHTS = { question: 50, incident: 40, task: 10 } as const;
