import type { Lang } from './languages';
import { auth } from './messages/auth';
import { common } from './messages/common';
import { nav } from './messages/nav';
import { shell } from './messages/shell';

/**
 * Every namespace of UI messages. A feature adds `app/i18n/messages/<feature>.ts` (built with
 * `defineMessages`) and lists it here; keys are global, so prefix them with the feature.
 */
const namespaces = [common, nav, shell, auth] as const;

type Namespace = (typeof namespaces)[number];
export type MessageKey = Namespace extends infer N
  ? N extends { ru: infer R }
    ? keyof R & string
    : never
  : never;

export const catalog: Record<Lang, Record<string, string>> = {
  ru: Object.assign({}, ...namespaces.map((n) => n.ru)),
  zh: Object.assign({}, ...namespaces.map((n) => n.zh)),
  en: Object.assign({}, ...namespaces.map((n) => n.en)),
};
