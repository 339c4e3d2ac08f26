/** Support phrases used to generate benchmark data in English, Bengali and Hindi (written for Seva). */
export const PHRASES: Record<'en' | 'bn' | 'hi', { subjects: string[]; bodies: string[] }> = {
  en: {
    subjects: [
      'Refund not received for my order',
      'Cannot log in to my account',
      'Delivery is late again',
      'Wrong item in the package',
      'Invoice shows the wrong amount',
      'Internet connection keeps dropping',
      'How do I change my address',
      'Payment failed but money was deducted',
    ],
    bodies: [
      'I asked for a refund two weeks ago and still have not received the money. Please check.',
      'The app says my password is wrong even after I reset it this morning.',
      'My parcel was supposed to arrive on Monday but the tracking page has not changed for days.',
      'I ordered a blue kettle and received a red toaster instead. How do I return it?',
      'The invoice charges me twice for the same subscription month.',
      'The router disconnects every evening around eight and comes back after ten minutes.',
      'We moved house last week, please update the delivery address on my account.',
      'The payment page showed an error but my bank account was debited anyway.',
    ],
  },
  bn: {
    subjects: [
      'আমার অর্ডারের টাকা ফেরত পাইনি',
      'অ্যাকাউন্টে লগইন করতে পারছি না',
      'ডেলিভারি আবার দেরি হচ্ছে',
      'প্যাকেটে ভুল জিনিস এসেছে',
      'বিলে ভুল পরিমাণ দেখাচ্ছে',
      'ইন্টারনেট সংযোগ বারবার কেটে যাচ্ছে',
    ],
    bodies: [
      'দুই সপ্তাহ আগে টাকা ফেরতের আবেদন করেছি কিন্তু এখনও টাকা পাইনি। দয়া করে দেখুন।',
      'পাসওয়ার্ড রিসেট করার পরেও অ্যাপ বলছে পাসওয়ার্ড ভুল।',
      'সোমবার পার্সেল আসার কথা ছিল কিন্তু ট্র্যাকিং পাতায় কয়েকদিন ধরে কোনো পরিবর্তন নেই।',
      'আমি নীল কেটলি অর্ডার করেছিলাম কিন্তু লাল টোস্টার পেয়েছি। কীভাবে ফেরত দেব?',
      'একই মাসের সাবস্ক্রিপশনের জন্য বিলে দুবার টাকা কাটা হয়েছে।',
      'প্রতিদিন সন্ধ্যা আটটার দিকে রাউটার সংযোগ বিচ্ছিন্ন হয়ে যায়।',
    ],
  },
  hi: {
    subjects: [
      'मेरे ऑर्डर का रिफंड नहीं मिला',
      'खाते में लॉगिन नहीं हो रहा',
      'डिलीवरी फिर से देर से हो रही है',
      'पैकेट में गलत सामान आया',
      'बिल में गलत राशि दिख रही है',
      'इंटरनेट कनेक्शन बार बार कट रहा है',
    ],
    bodies: [
      'मैंने दो हफ्ते पहले रिफंड माँगा था लेकिन अभी तक पैसे नहीं मिले। कृपया जाँच करें।',
      'आज सुबह पासवर्ड बदलने के बाद भी ऐप कह रहा है कि पासवर्ड गलत है।',
      'पार्सल सोमवार को आना था लेकिन ट्रैकिंग पेज पर कई दिनों से कोई बदलाव नहीं है।',
      'मैंने नीली केतली मंगाई थी लेकिन लाल टोस्टर मिला। इसे कैसे लौटाऊँ?',
      'एक ही महीने की सदस्यता के लिए बिल में दो बार पैसे काटे गए हैं।',
      'हर शाम आठ बजे के आसपास राउटर का कनेक्शन टूट जाता है।',
    ],
  },
};
