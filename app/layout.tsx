import './globals.css';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SiteChrome } from '@/components/ui/site-chrome';

export const metadata: Metadata = {
  title: 'CBA Doctor',
  description: 'Diagnose certificate-based authentication to Microsoft Entra ID',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased print:bg-white">
        {/* Only the App Router's own pages (not found, error) use this layout; the form and report pages have their own
            document (components/pages/shell.tsx). */}
        <SiteChrome>{children}</SiteChrome>
      </body>
    </html>
  );
}
