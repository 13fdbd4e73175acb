/// <reference types="@remix-run/dev" />

import '@remix-run/node';
import type { Kysely } from 'kysely';
import type { DB } from './db/types.generated';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Set by scripts/server.ts for every request; logged with every unexpected error. */
    requestId: string;
    /**
     * The process-wide database. Routes pass it to feature functions (`listStores(context.db, …)`);
     * they never import the database module, pg or kysely themselves (V2).
     */
    db: Kysely<DB>;
    /** The client's address (socket peer, or X-Forwarded-For behind TRUST_PROXY_CIDRS). */
    clientIp: string | null;
    /** True for Remix's client-side data requests (`?_data=`), which keep the page they came from. */
    dataRequest?: boolean;
  }
}
