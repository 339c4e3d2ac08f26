import { useState } from 'preact/hooks';
import { useLazyComponent } from '../lazy.tsx';
import type { ScreenProps } from './screen-props.ts';

const loadResults = () => import('../kb/kb-results.tsx').then((m) => m.KbResults);

/**
 * "Search our help articles" on the home screen. Only the box is in the first paint; the results and the article
 * view are a lazy chunk, fetched when the visitor first focuses or types in the box.
 */
export function KbSearch({ api, t, language, widgetKey }: ScreenProps) {
  const [q, setQ] = useState('');
  const [wanted, setWanted] = useState(false);
  const KbResults = useLazyComponent(loadResults, wanted);

  return (
    <section class="kb" aria-label={t('kb.search')}>
      <label class="field">
        <span>{t('kb.search')}</span>
        <input
          type="search"
          value={q}
          maxLength={200}
          placeholder={t('kb.placeholder')}
          onFocus={() => setWanted(true)}
          onInput={(e) => {
            setWanted(true);
            setQ((e.currentTarget as HTMLInputElement).value);
          }}
        />
      </label>
      {KbResults ? <KbResults api={api} t={t} language={language} widgetKey={widgetKey} query={q} /> : null}
    </section>
  );
}
