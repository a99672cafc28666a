import { useCallback } from 'react';
import { useLanguage } from '../state/hooks';
import { translate, type StringKey, type TranslateVars } from './strings';

/** `t` bound to the current language; components re-render when the language changes. */
export function useT(): (key: StringKey, vars?: TranslateVars) => string {
  const language = useLanguage();
  return useCallback((key: StringKey, vars?: TranslateVars) => translate(language, key, vars), [language]);
}
