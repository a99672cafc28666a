// The render panel's settings, grouped as a person thinks about them: what runs (model, device),
// how it samples (preset, steps, guidance, seed), the frame (size, fit) and the windows.
import { PRESETS, type FuseMode, type PresetName, type Provider, type RenderParams } from '../../shared/renderParams';
import { useT } from '../i18n/useT';
import { openModelManager } from '../models/modelActions';
import { useRenderParams } from '../state/hooks';
import { dispatch } from '../state/stores';
import { Field, NumberField, SelectField } from './fields';
import { FramingPreview } from './FramingPreview';
import { useModels } from './useModels';

const set = (patch: Partial<RenderParams>): void => dispatch({ type: 'render.set', patch });
const PRESET_NAMES: PresetName[] = ['official', 'fastPreview', 'longClip'];
const PROVIDERS: Provider[] = ['auto', 'cpu', 'cuda', 'dml', 'webgpu'];
const FUSE_MODES: FuseMode[] = ['flat', 'pyramid', 'linear'];

/** True when every option the preset fixes has the preset's value. */
export function matchesPreset(params: RenderParams, preset: PresetName): boolean {
  return Object.entries(PRESETS[preset]).every(([key, value]) => params[key as keyof RenderParams] === value);
}

export function ModelSettings() {
  const t = useT();
  const params = useRenderParams();
  const { models, loading, error } = useModels();
  // A project can name a model that is no longer installed: keep it visible, marked, so the
  // panel's reasons can say so (renderReadiness) instead of silently switching.
  const known = models.some((m) => m.id === params.model);
  const label = loading || error ? params.model : t('render.modelNotInstalled', { model: params.model });
  const options = known ? models : [{ id: params.model, name: label }, ...models];
  return (
    <div className="field-grid">
      <div className="model-field">
        <SelectField
          label={t('render.model')}
          testId="render-model"
          hint={error ?? (loading ? t('render.modelsLoading') : undefined)}
          value={params.model}
          options={options.map((m) => ({ value: m.id, label: m.id === 'demo' ? t('render.demoModel') : m.name }))}
          onChange={(model) => {
            // Each compiled model renders at one size: follow it when the person picks a model.
            const picked = models.find((m) => m.id === model);
            set(picked ? { model, width: picked.width, height: picked.height } : { model });
          }}
        />
        <button className="secondary-button" data-testid="models-manage" title={t('models.manageTitle')} onClick={openModelManager}>
          {t('models.manage')}
        </button>
      </div>
      <SelectField
        label={t('render.provider')}
        testId="render-provider"
        value={params.provider}
        options={PROVIDERS.map((p) => ({ value: p, label: t(`provider.${p}`) }))}
        onChange={(provider) => set({ provider })}
      />
    </div>
  );
}

export function PresetButtons() {
  const t = useT();
  const params = useRenderParams();
  return (
    <div className="preset-row" role="group" aria-label={t('render.presets')}>
      {PRESET_NAMES.map((preset) => (
        <button
          key={preset}
          className={`chip${matchesPreset(params, preset) ? ' active' : ''}`}
          data-testid={`preset-${preset}`}
          title={t(`preset.${preset}Hint`)}
          onClick={() => dispatch({ type: 'render.preset', preset })}
        >
          {t(`preset.${preset}`)}
        </button>
      ))}
    </div>
  );
}

export function SamplingSettings() {
  const t = useT();
  const params = useRenderParams();
  const shuffle = (): void => set({ seed: Math.floor(Math.random() * 2 ** 31) });
  return (
    <div className="field-grid">
      <NumberField label={t('render.steps')} testId="render-steps" value={params.steps} min={1} max={200} onChange={(steps) => set({ steps })} />
      <NumberField label={t('render.guidance')} testId="render-guidance" value={params.guidance} min={0} max={30} step={0.5} onChange={(guidance) => set({ guidance })} />
      <div className="seed-field">
        <NumberField label={t('render.seed')} testId="render-seed" value={params.seed} min={0} onChange={(seed) => set({ seed })} />
        <button className="icon-button seed-shuffle" data-testid="seed-shuffle" title={t('render.shuffleSeed')} aria-label={t('render.shuffleSeed')} onClick={shuffle}>
          ⚄
        </button>
      </div>
    </div>
  );
}

export function FrameSettings() {
  const t = useT();
  const params = useRenderParams();
  return (
    <div className="frame-settings">
      <div className="field-grid">
        <NumberField label={t('render.width')} testId="render-width" value={params.width} min={64} max={2048} step={64} invalid={params.width % 64 !== 0} onChange={(width) => set({ width })} />
        <NumberField label={t('render.height')} testId="render-height" value={params.height} min={64} max={2048} step={64} invalid={params.height % 64 !== 0} onChange={(height) => set({ height })} />
        <SelectField
          label={t('render.fit')}
          testId="render-fit"
          value={params.fit}
          options={[
            { value: 'pad', label: t('render.fitPad') },
            { value: 'crop', label: t('render.fitCrop') },
          ]}
          onChange={(fit) => set({ fit })}
        />
      </div>
      <FramingPreview />
    </div>
  );
}

export function WindowSettings() {
  const t = useT();
  const params = useRenderParams();
  return (
    <div className="field-grid">
      <NumberField label={t('render.window')} testId="render-window" value={params.window} min={1} max={24} invalid={params.window > 24 || params.overlap >= params.window} onChange={(window) => set({ window })} />
      <NumberField label={t('render.overlap')} testId="render-overlap" value={params.overlap} min={0} max={23} invalid={params.overlap >= params.window} onChange={(overlap) => set({ overlap })} />
      <SelectField
        label={t('render.fuse')}
        testId="render-fuse"
        value={params.fuse}
        options={FUSE_MODES.map((f) => ({ value: f, label: t(`fuse.${f}`) }))}
        onChange={(fuse) => set({ fuse })}
      />
      <Field label={t('render.loop')} hint={t('render.loopHint')}>
        <input type="checkbox" data-testid="render-loop" checked={params.loop} onChange={(e) => set({ loop: e.target.checked })} />
      </Field>
    </div>
  );
}
