// The username-binding simulation for the report's certificate and pasted tenant, for checks that depend on
// its result (cert.san-upn, cert.user-ids) without running entra.user-binding's verdict.
import type { Artifacts } from '@/lib/report/artifacts';
import { authMode } from '@/lib/entra/auth-mode';
import { simulateBinding, type BindingSimulation } from '@/lib/entra/binding';

export function bindingFor(a: Artifacts): BindingSimulation | null {
  const cert = a.user?.user?.cert;
  const t = a.entra;
  if (!cert || !t?.method || !t.user) return null;
  return simulateBinding(cert, t.user, t.method.bindings, authMode(cert, t.method).requiredAffinity);
}
