// The form page's only script: React hydrating the server-rendered form (components/pages/render.tsx renders it as
// its own root with the same id prefix, so useId matches). Bundled by scripts/build-pages.mjs.
import { hydrateRoot } from 'react-dom/client';
import { DiagnosisForm, type DiagnosisFormProps } from '@/components/form/diagnosis-form';
import { FORM_ID_PREFIX, FORM_PROPS_ID, FORM_ROOT_ID } from '@/components/pages/ids';

const root = document.getElementById(FORM_ROOT_ID);
const props = JSON.parse(document.getElementById(FORM_PROPS_ID)?.textContent || '{}') as DiagnosisFormProps;
if (root) hydrateRoot(root, <DiagnosisForm {...props} />, { identifierPrefix: FORM_ID_PREFIX });
