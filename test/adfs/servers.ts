// The set-up every AD FS check test repeats: one server identity made before the tests, and every
// stand-in server the tests start closed after them. Call it at the top level of a test file.
import { afterAll, beforeAll } from 'vitest';
import { serverIdentity, startTlsServer, type Running, type ServerIdentity, type TlsServerOptions } from './standins';

export interface TlsStandIns {
  /** The file's server identity (made in beforeAll, so read it inside tests and hooks). */
  id(): ServerIdentity;
  /** Starts a TLS stand-in with the file's identity, unless `o.id` gives another, and returns its port. */
  serve(o?: Partial<TlsServerOptions>): Promise<number>;
  /** Closes a server started some other way together with the others. */
  track(s: Running): Running;
}

export function tlsStandIns(): TlsStandIns {
  let identity: ServerIdentity | undefined;
  const running: Running[] = [];
  beforeAll(async () => {
    identity = await serverIdentity();
  });
  afterAll(async () => {
    await Promise.all(running.map((s) => s.close()));
  });
  const id = () => {
    if (!identity) throw new Error('the server identity is made in beforeAll; read it inside a test or hook');
    return identity;
  };
  const track = (s: Running) => {
    running.push(s);
    return s;
  };
  return { id, track, serve: async (o = {}) => track(await startTlsServer({ id: id(), ...o })).port };
}
