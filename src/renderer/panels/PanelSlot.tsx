import type { ReactNode } from 'react';
import { useT } from '../i18n/useT';

/** The right-hand panel column. The render panel (and later export) will mount here. */
export function PanelSlot({ children }: { children?: ReactNode }) {
  const t = useT();
  return (
    <aside className="panels" data-testid="panels">
      <section className="panel" data-testid="panel-render">
        <header className="panel-header">{t('panel.render')}</header>
        <div className="panel-body">{children ?? <p className="panel-empty">{t('panel.renderEmpty')}</p>}</div>
      </section>
    </aside>
  );
}
