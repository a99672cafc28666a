// The render panel: settings, why Render is disabled (before it is pressed), the Render button
// and the takes with their progress.
import { useApi } from '../ApiContext';
import { requestNotificationPermission } from '../chrome/notify';
import { useT } from '../i18n/useT';
import { useEditState, useRendering } from '../state/hooks';
import { renderRange } from '../state/projectState';
import { dispatch } from '../state/stores';
import { startRender } from './renderActions';
import { outputFrameCount, plannedWindows, renderBlockers } from './renderReadiness';
import { FrameSettings, ModelSettings, PresetButtons, SamplingSettings, WindowSettings } from './RenderSettings';
import { TakeList } from './TakeList';
import { useModels } from './useModels';

function RangeSummary() {
  const t = useT();
  const state = useEditState();
  const range = renderRange(state);
  const frames = outputFrameCount(state);
  const windows = plannedWindows(frames, state.render).length;
  return (
    <p className="range-summary" data-testid="render-range">
      {range ? t('render.rangeMarked', { start: range.start, end: range.end - 1, frames }) : t('render.rangeWhole', { frames })}
      {windows > 0 && <> · {t('render.windowCount', { count: windows })}</>}
    </p>
  );
}

function RenderButton() {
  const api = useApi();
  const t = useT();
  const state = useEditState();
  const rendering = useRendering();
  const { models } = useModels();
  const blockers = renderBlockers(state, rendering, models);
  const onRender = (): void => {
    requestNotificationPermission();
    void startRender(api);
  };
  return (
    <div className="render-go">
      {blockers.length > 0 && (
        <ul className="blockers" data-testid="render-blockers">
          {blockers.map((b) => (
            <li key={b.key}>
              {t(b.key, b.vars)}
              {b.fix && (
                <button className="link-button blocker-fix" data-testid={`fix-${b.key}`} onClick={() => dispatch({ type: 'render.set', patch: b.fix!.patch })}>
                  {t(b.fix.key, b.vars)}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <button className="primary-button render-button" data-testid="render-button" disabled={blockers.length > 0} title={blockers.length > 0 ? t(blockers[0].key, blockers[0].vars) : t('render.buttonTitle')} onClick={onRender}>
        {t('render.button')} <kbd>Ctrl+Enter</kbd>
      </button>
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="panel-section">
      <h3 className="panel-section-title">{title}</h3>
      {children}
    </section>
  );
}

export function RenderPanel() {
  const t = useT();
  return (
    <div className="render-panel" data-testid="render-panel">
      <Section title={t('render.sectionModel')}>
        <ModelSettings />
        <PresetButtons />
      </Section>
      <Section title={t('render.sectionSampling')}>
        <SamplingSettings />
      </Section>
      <Section title={t('render.sectionFrame')}>
        <FrameSettings />
      </Section>
      <Section title={t('render.sectionWindows')}>
        <WindowSettings />
        <RangeSummary />
      </Section>
      <RenderButton />
      <Section title={t('render.sectionTakes')}>
        <TakeList />
      </Section>
    </div>
  );
}
