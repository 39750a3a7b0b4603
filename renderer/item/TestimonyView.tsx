// A testimony: the recording, then transcript and translation side by side (each in its own
// direction), and who speaks. Identifying details (name, contact, protected notes) stay hidden
// until the person explicitly reveals them, so a shared screen does not expose a witness.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item, ItemText } from '../../shared/domain.ts';
import { Icon } from '../components/Icon.tsx';
import { formatDate } from '../format.ts';
import { isRtl } from '../i18n.ts';
import { GraphicGuard } from './GraphicGuard.tsx';
import { MediaPlayer } from './MediaPlayer.tsx';
import { languageLabel } from './languages.ts';

export function TestimonyView({ item }: { item: Item }) {
  const { t, i18n } = useTranslation('item');
  const [revealed, setRevealed] = useState(false);
  const testimony = item.testimony;
  const recording = item.files.find((f) => f.role === 'original' && (f.mime.startsWith('video/') || f.mime.startsWith('audio/')));
  const texts = [...item.texts].sort((a, b) => (a.role === b.role ? 0 : a.role === 'transcript' ? -1 : 1));

  const fact = (label: string, value: string | null | undefined) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;

  const hasProtected = !!(testimony?.speakerName || testimony?.speakerContact || testimony?.protectedNotes);

  return (
    <div className="testimony">
      {recording ? (
        <GraphicGuard graphic={item.sensitivity === 'graphic'}>
          <MediaPlayer itemId={item.id} file={recording} />
        </GraphicGuard>
      ) : (
        <p className="muted">{t('testimony.noRecording')}</p>
      )}

      <div className="testimony-speaker card">
        <dl className="facts">
          {fact(t('fields.speakerAlias'), testimony?.speakerAlias)}
          {fact(t('fields.relationToCase'), testimony?.relationToCase)}
          {fact(t('fields.interviewer'), testimony?.interviewer)}
          {fact(t('fields.eventDate'), formatDate(item.eventDate))}
          {fact(t('fields.place'), item.place)}
        </dl>
        <div className={`consent${testimony?.consent ? '' : ' consent-missing'}`}>
          <Icon name="shield" size={16} />
          <div>
            <strong>{t('fields.consent')}</strong>
            <p dir="auto">{testimony?.consent || t('testimony.noConsent')}</p>
          </div>
        </div>
        {hasProtected && (
          <div className="protected" data-testid="protected-fields">
            <div className="row">
              <Icon name="lock" size={16} />
              <strong className="grow">{t('testimony.protected')}</strong>
              <button type="button" className="btn btn-small" onClick={() => setRevealed((v) => !v)} aria-expanded={revealed}>
                <Icon name={revealed ? 'eyeOff' : 'eye'} size={16} />
                {revealed ? t('testimony.hide') : t('testimony.reveal')}
              </button>
            </div>
            {revealed ? (
              <dl className="facts">
                {fact(t('fields.speakerName'), testimony?.speakerName)}
                {fact(t('fields.speakerContact'), testimony?.speakerContact)}
                {fact(t('fields.protectedNotes'), testimony?.protectedNotes)}
              </dl>
            ) : (
              <p className="muted">{t('testimony.protectedHint')}</p>
            )}
          </div>
        )}
      </div>

      {texts.length > 0 ? (
        <div className={`testimony-texts cols-${Math.min(texts.length, 2)}`}>
          {texts.map((text) => (
            <TextPanel key={text.id} text={text} uiLanguage={i18n.language} />
          ))}
        </div>
      ) : (
        <p className="muted">{t('testimony.noTexts')}</p>
      )}
    </div>
  );
}

function TextPanel({ text, uiLanguage }: { text: ItemText; uiLanguage: string }) {
  const { t } = useTranslation('item');
  const lang = text.language;
  return (
    <section className="text-panel card" aria-label={t(`testimony.${text.role}`)}>
      <h3 className="text-panel-head">
        {t(`testimony.${text.role}`)}
        {lang && <span className="badge">{languageLabel(lang, uiLanguage)}</span>}
      </h3>
      <div className="text-panel-body reading" lang={lang ?? undefined} dir={lang ? (isRtl(lang) ? 'rtl' : 'ltr') : 'auto'}>
        {text.text
          .split(/\n\s*\n|\n/)
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p, i) => (
            <p key={i}>{p}</p>
          ))}
      </div>
    </section>
  );
}
