/**
 * A message namespace: Russian is the reference; Chinese and English must have exactly the same keys
 * (the type makes a missing translation a compile error). Values may hold `{name}` placeholders.
 */
export function defineMessages<const K extends string>(messages: {
  ru: Record<K, string>;
  zh: Record<NoInfer<K>, string>;
  en: Record<NoInfer<K>, string>;
}) {
  return messages;
}
