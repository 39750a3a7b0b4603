// Plain text (a note, an article without HTML, a transcript) as readable paragraphs, each
// paragraph's direction taken from its own text so mixed Arabic and English both read right.
import { useTranslation } from 'react-i18next';
import { isRtl } from '../i18n.ts';

export function TextBody({ text, language, className }: { text: string; language: string | null; className?: string }) {
  const { t } = useTranslation('item');
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length === 0) return <p className="muted">{t('noText')}</p>;
  return (
    <div className={`text-body reading${className ? ` ${className}` : ''}`} lang={language ?? undefined} dir={language ? (isRtl(language) ? 'rtl' : 'ltr') : 'auto'}>
      {paragraphs.map((p, i) => (
        <p key={i} dir="auto">
          {p}
        </p>
      ))}
    </div>
  );
}
