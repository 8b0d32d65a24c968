import type { ReactNode } from 'react';
import '../../shared/style.css';
import { getButter } from './butter';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const butter = await getButter();
  // The header's menu is the navigation_menu collection's first item.
  const { data } = await butter.content.retrieve(['navigation_menu']);
  const menu = data.data.navigation_menu[0];
  // Past the synced reference depth a reference is its URI: only embedded items are links.
  const items = menu?.menu_items.filter((item) => typeof item === 'object') ?? [];
  const href = (url: string) => (url === '#blog' ? '/blog' : url.startsWith('#') ? `/${url}` : url);
  return (
    <html lang="en">
      <body>
        <header>
          <nav id="menu" aria-label={menu?.name}>
            {items.map((item) => (
              <a key={item.label} href={href(item.url)}>
                {item.label}
              </a>
            ))}
            <a href="/faq">FAQ</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
