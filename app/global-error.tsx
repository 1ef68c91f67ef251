'use client';
// Replaces Next's built-in global error page, whose styles and markup (~9 kB gzip) were part of every page's
// first-load JavaScript. Shown only when the root layout itself fails.
export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <h1>Something went wrong</h1>
        <p>
          The page could not be shown. Your report, if one was started, is safe. <a href="/">Go to the diagnosis form</a>.
        </p>
      </body>
    </html>
  );
}
