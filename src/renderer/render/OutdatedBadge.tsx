import type { ProjectTake } from '../../shared/projectFile';
import { useT } from '../i18n/useT';
import { useProject } from '../state/hooks';
import { changedInputs } from '../state/takeInputs';

/** "Outdated", with which input changed, when the take no longer matches the project's inputs. */
export function OutdatedBadge({ take }: { take: ProjectTake }) {
  const t = useT();
  const changed = changedInputs(useProject(), take);
  if (changed.length === 0) return null;
  const why = changed.length === 2 ? 'take.outdatedBoth' : changed[0] === 'motion' ? 'take.outdatedMotion' : 'take.outdatedReference';
  return (
    <span className="take-outdated" data-testid="take-outdated" title={t(why)}>
      {t('take.outdated')}
      <span className="take-outdated-why">{t(why)}</span>
    </span>
  );
}
