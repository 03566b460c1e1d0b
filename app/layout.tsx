import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import { parseTheme, THEME_COOKIE } from './_lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'DLQ Console', template: '%s · DLQ Console' },
  description: 'Dead-letter queue console for RabbitMQ',
  icons: { icon: '/favicon.svg' },
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme}>
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
