import { useT } from '../i18n/useT';
import { RenderPanel } from '../render/RenderPanel';

/** The right-hand panel column: the render panel (settings, Render, takes). */
export function PanelSlot() {
  const t = useT();
  return (
    <aside className="panels" data-testid="panels">
      <section className="panel" data-testid="panel-render">
        <header className="panel-header">{t('panel.render')}</header>
        <div className="panel-body">
          <RenderPanel />
        </div>
      </section>
    </aside>
  );
}
