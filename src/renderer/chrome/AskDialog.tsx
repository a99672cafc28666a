// The modal for questions from chrome/ask.ts: unsaved changes, a path to type, a confirmation, or
// unsaved work to restore.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/useT';
import { useUi } from '../state/hooks';
import { answer } from './ask';

function PathQuestion({ title, value, hint }: { title: string; value: string; hint: string }) {
  const t = useT();
  const [path, setPath] = useState(value);
  useEffect(() => setPath(value), [value]);
  return (
    <form className="ask-body" onSubmit={(e) => (e.preventDefault(), answer({ path }))}>
      <h2>{title}</h2>
      <p className="ask-hint">{hint}</p>
      <input className="field-input path-input" data-testid="ask-path" autoFocus value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
      <footer className="modal-footer">
        <button type="button" className="secondary-button" onClick={() => answer('cancel')}>
          {t('ask.cancel')}
        </button>
        <button type="submit" className="primary-button" data-testid="ask-ok">
          {t('ask.ok')}
        </button>
      </footer>
    </form>
  );
}

function UnsavedQuestion() {
  const t = useT();
  return (
    <div className="ask-body">
      <h2>{t('ask.unsavedTitle')}</h2>
      <p className="ask-hint">{t('ask.unsavedBody')}</p>
      <footer className="modal-footer">
        <button className="secondary-button" data-testid="ask-cancel" onClick={() => answer('cancel')}>
          {t('ask.cancel')}
        </button>
        <button className="secondary-button" data-testid="ask-discard" onClick={() => answer('discard')}>
          {t('ask.discard')}
        </button>
        <button className="primary-button" data-testid="ask-save" autoFocus onClick={() => answer('save')}>
          {t('ask.save')}
        </button>
      </footer>
    </div>
  );
}

function ConfirmQuestion({ title, body, confirm }: { title: string; body: string; confirm: string }) {
  const t = useT();
  return (
    <div className="ask-body">
      <h2>{title}</h2>
      <p className="ask-hint">{body}</p>
      <footer className="modal-footer">
        <button className="secondary-button" data-testid="ask-cancel" autoFocus onClick={() => answer('cancel')}>
          {t('ask.cancel')}
        </button>
        <button className="primary-button danger" data-testid="ask-confirm" onClick={() => answer('confirm')}>
          {confirm}
        </button>
      </footer>
    </div>
  );
}

function RecoverQuestion({ body }: { body: string }) {
  const t = useT();
  return (
    <div className="ask-body">
      <h2>{t('recover.title')}</h2>
      <p className="ask-hint">{body}</p>
      <footer className="modal-footer">
        <button className="secondary-button" data-testid="ask-cancel" onClick={() => answer('cancel')}>
          {t('recover.later')}
        </button>
        <button className="secondary-button" data-testid="ask-discard" onClick={() => answer('discard')}>
          {t('recover.discard')}
        </button>
        <button className="primary-button" data-testid="ask-confirm" autoFocus onClick={() => answer('confirm')}>
          {t('recover.restore')}
        </button>
      </footer>
    </div>
  );
}

export function AskDialog() {
  const question = useUi((u) => u.ask);
  if (!question) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal ask" data-testid="ask" role="dialog" aria-modal>
        {question.kind === 'unsaved' ? (
          <UnsavedQuestion />
        ) : question.kind === 'confirm' ? (
          <ConfirmQuestion title={question.title} body={question.body} confirm={question.confirm} />
        ) : question.kind === 'recover' ? (
          <RecoverQuestion body={question.body} />
        ) : (
          <PathQuestion title={question.title} value={question.value} hint={question.hint} />
        )}
      </div>
    </div>
  );
}
