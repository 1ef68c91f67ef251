// A stored report's version as an HTTP validator: its status and last update. The same value comes from the report's
// JSON (the page, the full GET) and from the store's columns (store.version), so a poller asking "If-None-Match"
// is answered 304 without the report being read or sent.
import type { Report } from './schema';

export function reportEtag(status: Report['status'], updatedAt: number | string): string {
  return `W/"${status}-${typeof updatedAt === 'number' ? updatedAt : Date.parse(updatedAt)}"`;
}
