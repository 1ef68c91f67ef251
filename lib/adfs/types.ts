// Artifacts produced by realm discovery and AD FS / WAP probes. Owned by lib/adfs.
export interface FederationArtifacts {
  realm: unknown;
}
