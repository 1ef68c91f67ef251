// Element ids shared by the server-rendered pages (render.tsx) and the scripts that enhance them (components/islands).
export const FORM_ROOT_ID = 'diagnosis-form-root';
export const FORM_PROPS_ID = 'diagnosis-form-props';
/** useId prefix of the form, the same on the server and in the browser, so hydration finds the same ids. */
export const FORM_ID_PREFIX = 'f-';
