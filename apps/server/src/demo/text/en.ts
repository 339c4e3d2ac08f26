import type { LanguagePack } from './language-pack.ts';

export const en: LanguagePack = {
  categories: {
    billing: {
      subjects: [
        'Charged twice for order {order}',
        'Invoice {invoice} shows the wrong amount',
        'UPI payment failed but money was deducted',
        'Question about my EMI instalment',
      ],
      openings: [
        'Hi, I paid ₹{amount} for order {order} and my bank statement shows the amount debited twice. Please refund the extra payment.',
        'Hello, invoice {invoice} says ₹{amount}, but the price of the {product} on your website was lower when I ordered. Can you correct it?',
        'My UPI payment for order {order} failed on your checkout page, but ₹{amount} has been deducted from my account. What happens now?',
        'I bought a {product} on EMI. This month ₹{amount} was taken instead of the usual instalment. Can you explain why?',
      ],
      followUps: [
        'I checked again and the second debit is still there. The UPI reference is in my banking app if you need it.',
        'Thanks. How many days will the refund take? I need the money back before the end of the month.',
        'I have not received any SMS or email about the refund yet.',
      ],
      replies: [
        'I have checked order {order}: the second payment of ₹{amount} was captured by mistake. I have started a refund; it usually reaches your account in {days} working days.',
        'Sorry for the confusion. I have raised a corrected invoice and you will receive it by email within the hour.',
        'Could you share the UPI transaction ID or the last four digits of the card, so I can trace the payment?',
      ],
      notes: [
        'Payment gateway shows a duplicate capture for {order}. Refund initiated; finance to confirm.',
        'Second billing issue for this customer this quarter — keep an eye on it.',
      ],
    },
    delivery: {
      subjects: [
        'Where is my order {order}?',
        'Delivery delayed for my {product}',
        'Courier marked {order} delivered but I never got it',
        'Need to change the delivery address for {order}',
      ],
      openings: [
        'Hi, I ordered a {product} ({order}) {days} days ago and the tracking page has not updated since it left the warehouse. When will it arrive?',
        'The delivery date for my {product} was {date}, but it still has not come. I took leave from work to receive it.',
        'Tracking for {order} says delivered, but nobody came to my door in {city}. None of my neighbours received it either.',
        'I have moved house. Can the delivery address for order {order} be changed to my new flat in {city}?',
      ],
      followUps: [
        'The courier called but hung up before I could give directions.',
        'Still nothing today. Please escalate this.',
        'Okay, I will wait until tomorrow evening.',
      ],
      replies: [
        'I have contacted our courier partner in {city}: your {product} is at the local hub and will be delivered within {days} days.',
        'I am sorry about this. I have opened an investigation with the courier for order {order}; if they cannot find it within 48 hours we will send a replacement.',
        'The address has been updated. You will get a new tracking SMS once the parcel is rerouted.',
      ],
      notes: [
        'Courier hub in {city} is backed up after the holidays — several similar tickets today.',
        'Asked the courier for proof of delivery (GPS and photo) for {order}.',
      ],
    },
    returns: {
      subjects: [
        'Refund not received for returned {product}',
        'I want to return a damaged {product}',
        'Replacement instead of refund for {order}',
        'Return pickup did not happen',
      ],
      openings: [
        'I returned the {product} from order {order} two weeks ago and the pickup was confirmed, but I still have not received my refund of ₹{amount}.',
        'The {product} I received today is damaged — the box was crushed and there is a crack on the side. I would like to return it.',
        'Instead of a refund for order {order}, can I get a replacement {product}? I still need it.',
        'The return pickup for {order} was scheduled for {date}, but nobody came.',
      ],
      followUps: [
        'I have attached photos of the damage.',
        'The pickup person came today and collected it, thanks.',
        'It has been {days} days. When will I get the money?',
      ],
      replies: [
        'Thank you for the photos. I have approved the return for {order}; a pickup is booked for tomorrow between 10 am and 6 pm.',
        'Your refund of ₹{amount} was processed today. Depending on your bank it can take {days} working days to show up.',
        'I have arranged a replacement {product}; it will ship as soon as the pickup is done.',
      ],
      notes: [
        'Damage looks like it happened in transit — claim filed with the courier.',
        'Refund above ₹5,000 — needs sign-off from finance.',
      ],
    },
    technical: {
      subjects: [
        'App crashes when I open my orders',
        'Cannot upload photos in the app',
        'My {product} will not connect to Wi-Fi',
        'Error 502 on the checkout page',
      ],
      openings: [
        "Since yesterday's update the app closes as soon as I tap 'My orders'. I have restarted my phone twice.",
        "When I try to upload a photo for my review it says 'upload failed'. My connection is fine.",
        'The {product} I bought does not connect to my home Wi-Fi. The light keeps blinking blue and the setup never finishes.',
        'I get an error page (502) every time I try to pay. I have tried two different browsers.',
      ],
      followUps: [
        'I am using Android 14 on a Samsung phone.',
        'I cleared the cache as you suggested — same problem.',
        'It is working now after the update, thank you!',
      ],
      replies: [
        'Thanks for reporting this. Could you tell me your phone model and app version (Settings → About)? That helps us reproduce it.',
        'We found the problem: a bug in version 4.2 affected some Android phones. Version 4.2.1 fixes it — please update from the Play Store.',
        'Please hold the reset button for 10 seconds until the light turns white, then start the setup again with your phone close to the router.',
      ],
      notes: [
        'Reproduced on Android 14 — engineering ticket filed.',
        'Known issue with 5 GHz networks on this model; firmware fix due next week.',
      ],
    },
    account: {
      subjects: [
        'Cannot log in to my account',
        'OTP is not arriving',
        'Please delete my account',
        'Change the email address on my account',
      ],
      openings: [
        'I have been trying to log in for an hour. It says my password is wrong, but I have reset it twice.',
        'The OTP never arrives on my phone, so I cannot finish signing in. My number in the profile is correct.',
        'Please delete my account and all my personal data. I do not use the service any more.',
        'I no longer have access to my old email address. Can you change my login email to a new one?',
      ],
      followUps: ['Tried again, still does not work.', 'Got the OTP now, thanks.', 'Please confirm once it is done.'],
      replies: [
        'I have unlocked your account — it was locked after too many attempts. Please try signing in again now.',
        'Some operators delay SMS at busy times. I have switched your OTP to email; you should receive it there.',
        'For your security, please confirm the number of your last order before I make this change.',
      ],
      notes: [
        'Identity verified with the last order number.',
        'Deletion request — 30-day retention per policy, then purge.',
      ],
    },
    plumbing: {
      subjects: [
        'Leaking pipe under the kitchen sink',
        'Geyser not heating water',
        'Plumber did not turn up for the appointment',
        'Blocked bathroom drain',
      ],
      openings: [
        'There is water leaking under my kitchen sink and the cabinet is getting soaked. Can someone come today? I am in {city}.',
        'The geyser you installed last month is not heating water any more. The light comes on but the water stays cold.',
        'A plumber was booked for {date} between 10 and 12, but nobody came and nobody called.',
        'The bathroom drain is completely blocked and water is coming back up.',
      ],
      followUps: [
        'Please send someone soon, it is getting worse.',
        'The plumber came and fixed it, thank you.',
        'What time will the technician arrive?',
      ],
      replies: [
        'I have booked a plumber for tomorrow between 9 and 11 am. Please close the water valve under the sink until then.',
        'Sorry that nobody came. I have rebooked the visit for {date} as a priority slot; the technician will call 30 minutes before.',
        'Your geyser is under warranty, so the repair is free. Our technician will bring a replacement thermostat.',
      ],
      notes: [
        'Visit scheduled; technician to bring a replacement thermostat.',
        'Second missed appointment for this customer — waive the visit fee.',
      ],
    },
    feedback: {
      subjects: [
        'Great service from your delivery team',
        'Very disappointed with my recent orders',
        'Suggestion: invoices in Bengali and Hindi',
        'Complaint about rude behaviour on the phone',
      ],
      openings: [
        'Just wanted to say the delivery person was very polite and careful with the {product}. Thank you!',
        'I have been a customer for years, but my last three orders were all late. I am really disappointed.',
        'It would be great if invoices could be printed in Bengali or Hindi for my parents.',
        'The person I spoke to on the phone yesterday was rude and hung up on me.',
      ],
      followUps: ['Thanks for listening.', 'I hope this improves.', 'Appreciate the quick reply.'],
      replies: [
        'Thank you so much for the kind words! I have passed them on to our delivery team in {city}.',
        'I am really sorry. I have shared your feedback with the team lead and added a ₹{amount} voucher to your account as an apology.',
        'Thanks for the suggestion — I have passed it on to our product team.',
      ],
      notes: ['Shared with the team lead for coaching.', 'Added to the product feedback board.'],
    },
  },
  greetings: ['Hi {name},', 'Hello {name},', 'Dear {name},'],
  signOffs: ['Best regards,\n{agent}\nSeva support', 'Thanks,\n{agent}', 'Kind regards,\n{agent}'],
  closings: [
    "Glad that's sorted! I'll mark this ticket as solved — just reply if anything else comes up.",
    'I am marking this as solved. If the problem comes back, reply to this message and the ticket will reopen.',
  ],
  thanks: ['Thank you, all good now.', 'Received it, thanks for the help!', 'Problem solved, thanks a lot.'],
  products: [
    'washing machine',
    'smart TV',
    'mixer grinder',
    'air purifier',
    'water purifier',
    'Bluetooth speaker',
    'pressure cooker',
    'ceiling fan',
  ],
  cities: ['Bengaluru', 'Mumbai', 'Pune', 'Chennai', 'Hyderabad'],
};
