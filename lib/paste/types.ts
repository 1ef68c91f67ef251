// Artifacts parsed from pasted admin command output. Owned by lib/paste.
export interface PasteArtifacts {
  paste: unknown;
}
