// Progress of a bundle export or import: the phase the engine reports, and how far into it.
import { useTranslation } from 'react-i18next';
import type { BundleProgressEvent } from '../../shared/api.ts';
import { formatBytes, formatNumber } from '../format.ts';

// These phases count bytes of the bundle file; the others count items.
const BYTE_PHASES = new Set(['writing', 'reading']);

export function BundleProgress({ progress, starting }: { progress: BundleProgressEvent | null; starting: string }) {
  const { t } = useTranslation('bundle');
  if (progress === null) {
    return (
      <div className="bundle-progress" data-testid="bundle-progress">
        <p>{starting}</p>
        <progress className="progress" />
      </div>
    );
  }
  const phase = t(`phase.${progress.phase}`, { defaultValue: progress.phase });
  const amount = BYTE_PHASES.has(progress.phase) ? formatBytes : formatNumber;
  return (
    <div className="bundle-progress" data-testid="bundle-progress">
      <p>
        {phase}
        {progress.total > 0 && ` — ${t('progressOf', { done: amount(progress.done), total: amount(progress.total) })}`}
      </p>
      {progress.total > 0 ? <progress className="progress" max={progress.total} value={Math.min(progress.done, progress.total)} /> : <progress className="progress" />}
    </div>
  );
}
