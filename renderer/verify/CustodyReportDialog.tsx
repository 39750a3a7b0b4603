// The custody report of one item (items.custodyReport): plain text a lawyer can read, shown here
// and saved as a .txt file. Saving makes the file in the page (a Blob and a download link), so it
// needs nothing from the network and nothing the CSP closes: a download is not a fetch.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustodyReport } from '../../shared/api.ts';
import { api } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { useOnOpen } from '../components/useOnOpen.ts';
import { errorMessage } from '../errors.ts';
import './verify.css';

export function saveTextFile(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Subtle: revoking at once can cancel the download before the browser has read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function CustodyReportDialog({ itemId, open, onClose }: { itemId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation('verify');
  const [report, setReport] = useState<CustodyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useOnOpen(open, itemId, () => {
    setReport(null);
    setError(null);
    setSaved(false);
  });
  useEffect(() => {
    if (!open) return;
    let live = true;
    api.call('items.custodyReport', { id: itemId }).then(
      (v) => live && setReport(v),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [itemId, open]);

  const footer = (
    <>
      <button type="button" className="btn" onClick={onClose}>
        {t('close')}
      </button>
      <button
        type="button"
        className="btn btn-primary"
        disabled={report === null}
        data-testid="custody-report-save"
        onClick={() => {
          if (!report) return;
          saveTextFile(report.text, report.fileName);
          setSaved(true);
        }}
      >
        {t('report.save')}
      </button>
    </>
  );

  return (
    <Modal open={open} onClose={onClose} title={t('report.dialogTitle')} footer={footer} wide className="custody-report-dialog">
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      {!error && report === null && <span className="spinner" />}
      {report && (
        <div className="stack">
          <p className="muted">{t('report.dialogHint', { name: report.fileName })}</p>
          <pre className="custody-report-text" tabIndex={0} data-testid="custody-report-text" aria-label={t('report.dialogTitle')}>
            {report.text}
          </pre>
          {saved && (
            <p className="muted" role="status" data-testid="custody-report-saved">
              {t('report.saved', { name: report.fileName })}
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}
