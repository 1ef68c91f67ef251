
export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2">There is nothing at this address.</p>
      <p className="mt-4">
        <a href="/" className="btn btn-primary">
          Go to the diagnosis form
        </a>
      </p>
    </div>
  );
}
