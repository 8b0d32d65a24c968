import { getCollection } from 'virtual:buttercms';
import { esc } from '../html.ts';

export async function render(): Promise<string> {
  const items = (await getCollection('faq')) as { question: string; answer: string }[];
  return `<h1>FAQ</h1>${items
    .map(
      (i) => `<details open><summary>${esc(i.question)}</summary><p>${esc(i.answer)}</p></details>`,
    )
    .join('')}`;
}
