// What a verification found: one sentence when all is intact; otherwise each kind of problem in
// its own section, files grouped under the item they belong to (each a link to it), the custody
// chain's breaks by position, and the database checks.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CustodyProblem, VerifyFileProblem, VerifyReport } from '../../shared/api.ts';
import { Icon } from '../components/Icon.tsx';
import { checkOutcome, databaseState, sayHere } from '../errors.ts';
import { formatBytes, formatDateTime, formatNumber } from '../format.ts';
import { FileName } from '../item/FileName.tsx';
import { routeHash } from '../route.ts';

interface ItemGroup {
  readonly itemId: string;
  readonly itemTitle: string;
  readonly files: VerifyFileProblem[];
}

function byItem(files: readonly VerifyFileProblem[]): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const f of files) {
    let group = groups.get(f.itemId);
    if (!group) {
      group = { itemId: f.itemId, itemTitle: f.itemTitle, files: [] };
      groups.set(f.itemId, group);
    }
    group.files.push(f);
  }
  return [...groups.values()];
}

const shortHash = (hash: string) => hash.slice(0, 16);

function finishedLine(t: TFunction<'verify'>, report: VerifyReport): string {
  const date = formatDateTime(report.finishedAt);
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  // A small archive verifies in a blink; "in 0 s" would read as if nothing was done.
  if (!(seconds >= 1)) return t('report.finished', { date });
  return t('report.when', { date, seconds: formatNumber(Math.round(seconds)) });
}

export function VerifyReportView({ report }: { report: VerifyReport }) {
  const { t } = useTranslation('verify');
  const database = databaseState(report.database);
  const counts = {
    files: formatNumber(report.files),
    blobs: formatNumber(report.blobs),
    size: formatBytes(report.bytes),
    events: formatNumber(report.custody.events),
  };

  return (
    <div className="verify-report stack" data-testid="verify-report">
      <div className={report.ok ? 'check-ok verify-summary' : 'error-box verify-summary'} role="status" data-testid="verify-summary">
        <Icon name={report.ok ? 'check' : 'alert'} />
        <div>
          <strong>{report.ok ? t('report.intact') : t('report.problems')}</strong>
          <p>{t('report.checked', counts)}</p>
          <p className="verify-when">{finishedLine(t, report)}</p>
        </div>
      </div>

      {report.changed.length > 0 && (
        <FileSection id="verify-changed" title={t('report.changedTitle', { count: report.changed.length })} hint={t('report.changedHint')} files={report.changed} changed />
      )}
      {report.missing.length > 0 && (
        <FileSection id="verify-missing" title={t('report.missingTitle', { count: report.missing.length })} hint={t('report.missingHint')} files={report.missing} />
      )}

      {report.untracked.length > 0 && (
        <section className="card verify-section" aria-labelledby="verify-untracked" data-testid="verify-untracked">
          <h2 id="verify-untracked">{t('report.untrackedTitle', { count: report.untracked.length })}</h2>
          <p className="muted">{t('report.untrackedHint')}</p>
          <ul className="verify-files">
            {report.untracked.map((u) => (
              <li key={u.path}>
                <code className="mono" dir="ltr">
                  {u.path}
                </code>{' '}
                <span className="faint">{formatBytes(u.bytes)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card verify-section" aria-labelledby="verify-custody" data-testid="verify-custody">
        <h2 id="verify-custody">{t('report.custodyTitle')}</h2>
        {report.custody.problems.length === 0 ? (
          <p className="verify-line-ok">{t('report.custodyOk', { events: counts.events })}</p>
        ) : (
          <>
            <p className="muted">{t('report.custodyBroken', { events: counts.events, count: report.custody.problems.length })}</p>
            <ol className="verify-files">
              {report.custody.problems.map((p) => (
                <CustodyProblemRow key={`${p.position}-${p.seq}-${p.problem}`} problem={p} />
              ))}
            </ol>
          </>
        )}
      </section>

      <section className="card verify-section" aria-labelledby="verify-database" data-testid="verify-database">
        <h2 id="verify-database">{t('report.databaseTitle')}</h2>
        <ul className="check-list">
          <li>{t('report.integrity', { value: checkOutcome(report.database.integrity) })}</li>
          <li>{t('report.foreignKeys', { count: report.database.foreignKeys })}</li>
          <li>{t('report.searchIndex', { value: checkOutcome(report.database.searchIndex, report.database.searchIndexSaid) })}</li>
        </ul>
        {database !== 'ok' &&
          (database === 'index' ? (
            <p className="field-error">
              {t('report.indexAdvice')} <a href={routeHash({ name: 'settings' })}>{t('report.indexAdviceLink')}</a>
            </p>
          ) : (
            <p className="field-error">{t('report.databaseAdvice')}</p>
          ))}
      </section>
    </div>
  );
}

function FileSection({ id, title, hint, files, changed }: { id: string; title: string; hint: string; files: readonly VerifyFileProblem[]; changed?: boolean }) {
  const { t } = useTranslation('verify');
  return (
    <section className="card verify-section verify-problem" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      <p className="muted">{hint}</p>
      {byItem(files).map((group) => (
        <div key={group.itemId} className="verify-item" data-testid="verify-item" data-item-id={group.itemId}>
          <a className="verify-item-link" href={routeHash({ name: 'item', id: group.itemId })}>
            <bdi>{group.itemTitle || group.itemId}</bdi>
          </a>
          <ul className="verify-files">
            {group.files.map((f) => (
              <li key={`${f.role}/${f.fileName}/${f.sha256}`} data-testid="verify-file">
                <div className="verify-file-name">
                  <FileName name={f.fileName} /> <span className="chip">{t(`roles.${f.role}`, { ns: 'item', defaultValue: f.role })}</span>
                </div>
                <div className="faint verify-hash">
                  {t('report.recorded')}{' '}
                  <bdi className="mono" dir="ltr">
                    {shortHash(f.sha256)}
                  </bdi>
                  {changed && f.actual && (
                    <>
                      {' · '}
                      {t('report.now')}{' '}
                      <bdi className="mono" dir="ltr">
                        {shortHash(f.actual)}
                      </bdi>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function CustodyProblemRow({ problem }: { problem: CustodyProblem }) {
  const { t } = useTranslation('verify');
  return (
    <li data-testid="verify-custody-problem">
      <strong>{t(`custody.${problem.problem}`, { position: formatNumber(problem.position), seq: problem.seq })}</strong>
      {problem.detail && (
        <p className="muted" dir="auto">
          {sayHere(problem.said) ?? problem.detail}
        </p>
      )}
    </li>
  );
}
