'use client';

export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-700 bg-white p-6">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 max-w-prose">The page could not be shown. Your report, if one was started, is safe: try again, or open its link later.</p>
      <p className="mt-4 flex gap-3">
        <button type="button" className="btn btn-primary" onClick={() => retry()}>
          Try again
        </button>
        <a href="/" className="btn">
          Go to the diagnosis form
        </a>
      </p>
    </div>
  );
}
