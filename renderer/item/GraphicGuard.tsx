// Trauma-aware viewing: material marked graphic stays blurred, and silent, until the person asks
// to see it. Nothing plays or shows in full by accident.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon.tsx';

export function GraphicGuard({ graphic, children }: { graphic: boolean; children: ReactNode }) {
  const { t } = useTranslation('item');
  const [revealed, setRevealed] = useState(false);
  if (!graphic || revealed) return <>{children}</>;
  return (
    <div className="graphic-guard" data-testid="graphic-guard">
      {/* inert: the hidden player cannot be focused or started from the keyboard either */}
      <div className="graphic-blur" inert aria-hidden="true">
        {children}
      </div>
      <div className="graphic-cover">
        <Icon name="eyeOff" size={28} />
        <p className="graphic-title">{t('graphic.title')}</p>
        <p className="graphic-text">{t('graphic.text')}</p>
        <button type="button" className="btn" onClick={() => setRevealed(true)}>
          <Icon name="eye" size={16} />
          {t('graphic.show')}
        </button>
      </div>
    </div>
  );
}
