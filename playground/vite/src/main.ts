/** A tiny router: each page is its own chunk, and reads only the content it shows. */
// One stylesheet for both playground sites.
import '../../shared/style.css';

type Page = { render(match: RegExpMatchArray, url: URL): Promise<string> };

const routes: [RegExp, () => Promise<Page>][] = [
  [/^\/$/, () => import('./pages/landing.ts')],
  [/^\/faq\/?$/, () => import('./pages/faq.ts')],
  [/^\/blog\/?$/, () => import('./pages/blog.ts')],
  [/^\/blog\/([^/]+)\/?$/, () => import('./pages/post.ts')],
];

async function show(): Promise<void> {
  const app = document.querySelector<HTMLElement>('#app')!;
  const url = new URL(location.href);
  const route = routes.find(([pattern]) => pattern.test(url.pathname));
  try {
    if (!route) {
      app.innerHTML = '<h1>Not found</h1>';
      return;
    }
    const page = await route[1]();
    app.innerHTML = await page.render(url.pathname.match(route[0])!, url);
  } catch (error) {
    app.innerHTML = `<h1>Error</h1><pre>${String(error)}</pre>`;
  } finally {
    app.setAttribute('aria-busy', 'false');
  }
}

void show();
