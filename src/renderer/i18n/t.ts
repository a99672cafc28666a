import { languageStore } from '../state/stores';
import { translate, type StringKey, type TranslateVars } from './strings';

/** Lookup in the current language for code outside React (import flow, commands). */
export const t = (key: StringKey, vars?: TranslateVars): string => translate(languageStore.get(), key, vars);
