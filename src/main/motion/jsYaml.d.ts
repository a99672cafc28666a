// The one js-yaml function the config reader uses (js-yaml 4 ships no types; @types/js-yaml is not
// installed here).
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
