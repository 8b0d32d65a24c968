import { butter } from 'virtual:buttercms';
import { renderComponents } from '../components/index.ts';

export async function render(): Promise<string> {
  const { data } = await butter.page.retrieve('landing-page', 'landing-page-with-components');
  const page = data.data;
  document.title = String((page.fields.seo as { title?: string } | undefined)?.title ?? page.name);
  return renderComponents(page.fields.body as { type: string; fields: Record<string, unknown> }[]);
}
