export default function Home() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">CBA Doctor</h1>
      <p className="mt-2">Certificate-based authentication diagnostics for Microsoft Entra ID.</p>
    </main>
  );
}
