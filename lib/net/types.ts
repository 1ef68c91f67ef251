// Artifacts produced by network collectors for CRLs and AIA. Owned by lib/net.
export interface CrlNetArtifacts {
  crlDownloads: unknown[];
}
