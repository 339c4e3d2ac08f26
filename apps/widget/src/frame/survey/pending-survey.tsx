import { useEffect, useState } from 'preact/hooks';
import type { Language } from '../i18n/index.ts';

/** A survey waiting for this visitor's customer record (`GET /survey/v1/pending`). */
interface PendingSurvey {
  token: string;
  kind: 'csat' | 'ces' | 'nps';
  min: number;
  max: number;
  ticketNumber: number | null;
  /** the desk's own wording of the question, if it set one */
  question?: string | null;
}

const TEXT: Record<
  Language,
  {
    csat: string;
    ces: string;
    nps: string;
    about: string;
    low: Record<PendingSurvey['kind'], string>;
    high: Record<PendingSurvey['kind'], string>;
    thanks: string;
    failed: string;
  }
> = {
  en: {
    csat: 'How would you rate the help you received?',
    ces: 'How easy was it to get your issue resolved?',
    nps: 'How likely are you to recommend us to a friend or colleague?',
    about: 'About request #{n}',
    low: { csat: 'Very bad', ces: 'Very hard', nps: 'Not at all likely' },
    high: { csat: 'Very good', ces: 'Very easy', nps: 'Extremely likely' },
    thanks: 'Thank you! Your rating has been recorded.',
    failed: 'Your rating could not be sent. Please try again.',
  },
  bn: {
    csat: 'আপনি যে সাহায্য পেয়েছেন তাকে কীভাবে মূল্যায়ন করবেন?',
    ces: 'আপনার সমস্যার সমাধান পাওয়া কতটা সহজ ছিল?',
    nps: 'আপনি কোনো বন্ধু বা সহকর্মীকে আমাদের সুপারিশ করার সম্ভাবনা কতটা?',
    about: 'অনুরোধ #{n} সম্পর্কে',
    low: { csat: 'খুব খারাপ', ces: 'খুব কঠিন', nps: 'একেবারেই না' },
    high: { csat: 'খুব ভালো', ces: 'খুব সহজ', nps: 'অবশ্যই' },
    thanks: 'ধন্যবাদ! আপনার মূল্যায়ন সংরক্ষিত হয়েছে।',
    failed: 'আপনার মূল্যায়ন পাঠানো যায়নি। আবার চেষ্টা করুন।',
  },
  hi: {
    csat: 'आपको मिली सहायता को आप कैसे आँकेंगे?',
    ces: 'आपकी समस्या का समाधान पाना कितना आसान था?',
    nps: 'आप किसी मित्र या सहकर्मी को हमारी सिफ़ारिश करने की कितनी संभावना रखते हैं?',
    about: 'अनुरोध #{n} के बारे में',
    low: { csat: 'बहुत ख़राब', ces: 'बहुत कठिन', nps: 'बिल्कुल नहीं' },
    high: { csat: 'बहुत अच्छा', ces: 'बहुत आसान', nps: 'बहुत संभव' },
    thanks: 'धन्यवाद! आपकी रेटिंग दर्ज कर ली गई है।',
    failed: 'आपकी रेटिंग भेजी नहीं जा सकी। फिर से कोशिश करें।',
  },
};

/**
 * The newest survey waiting for a known visitor (their own customer record), shown on the home screen: one tap on
 * a rating answers it through `/survey/v1/answers` (single-use, like the email's links). Loaded lazily; renders
 * nothing when no survey waits or the request fails.
 */
export function PendingSurveyCard(props: { visitorToken: string; language: Language }) {
  const [survey, setSurvey] = useState<PendingSurvey | null>(null);
  const [state, setState] = useState<'idle' | 'sending' | 'done' | 'failed'>('idle');
  const tx = TEXT[props.language] ?? TEXT.en;

  useEffect(() => {
    let alive = true;
    fetch('/survey/v1/pending', {
      headers: { accept: 'application/json', 'x-seva-visitor': props.visitorToken },
      credentials: 'omit',
    })
      .then((res) => (res.ok ? (res.json() as Promise<{ items: PendingSurvey[] }>) : { items: [] }))
      .then((body) => {
        if (alive) setSurvey(body.items[0] ?? null);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [props.visitorToken]);

  if (!survey) return null;
  if (state === 'done') {
    return (
      <section class="survey" data-testid="widget-survey">
        <p role="status">{tx.thanks}</p>
      </section>
    );
  }
  const answer = async (rating: number) => {
    setState('sending');
    try {
      const res = await fetch('/survey/v1/answers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: survey.token, rating }),
        credentials: 'omit',
      });
      // 409: already answered (by the email link): nothing left to ask
      setState(res.ok || res.status === 409 ? 'done' : 'failed');
    } catch {
      setState('failed');
    }
  };
  const ratings: number[] = [];
  for (let r = survey.min; r <= survey.max; r += 1) ratings.push(r);
  return (
    <section class="survey" data-testid="widget-survey" aria-labelledby="seva-survey-question">
      {survey.ticketNumber !== null ? (
        <p class="muted">{tx.about.replace('{n}', String(survey.ticketNumber))}</p>
      ) : null}
      <p id="seva-survey-question">{survey.question ?? tx[survey.kind]}</p>
      <div class="survey-scale" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px' }}>
        {ratings.map((r) => (
          <button
            key={r}
            type="button"
            class="secondary"
            style={{ minWidth: '44px' }}
            disabled={state === 'sending'}
            onClick={() => void answer(r)}
            aria-label={
              r === survey.min
                ? `${r} · ${tx.low[survey.kind]}`
                : r === survey.max
                  ? `${r} · ${tx.high[survey.kind]}`
                  : String(r)
            }
          >
            {r}
          </button>
        ))}
      </div>
      <p class="muted" style={{ display: 'flex', justifyContent: 'space-between', fontSize: '12px' }}>
        <span>{tx.low[survey.kind]}</span>
        <span>{tx.high[survey.kind]}</span>
      </p>
      {state === 'failed' ? <p role="alert">{tx.failed}</p> : null}
    </section>
  );
}
