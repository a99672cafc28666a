import { useT } from '../i18n/useT';

/** A frame around the window while files are dragged over it (it never takes the drop itself). */
export function DropOverlay({ visible }: { visible: boolean }) {
  const t = useT();
  if (!visible) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden>
      <span>{t('drop.overlay')}</span>
    </div>
  );
}
