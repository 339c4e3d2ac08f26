/** The channels the Insights screens name (labels under `insights:channels.*`). */
export const INSIGHTS_CHANNELS = [
  'email',
  'chat',
  'web',
  'api',
  'phone',
  'sms',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
];
