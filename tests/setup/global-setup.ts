import crypto from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EMBEDDED_TEST, startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded';
import { migrateToLatest } from '../../db/migrate';

/**
 * Integration tests run on a real PostgreSQL: the server of DATABASE_URL when it is set, else the
 * embedded test cluster under `.data/pg-test`. A template database is migrated once per run; each
 * test file then gets its own `CREATE DATABASE … TEMPLATE …` copy (tests/setup/test-database.ts).
 * There is no skip: if no server can be reached, the run fails.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let cluster: EmbeddedCluster | null = null;

export async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    cluster = await startEmbeddedPostgres({ ...EMBEDDED_TEST, log: () => {} });
    serverUrl = cluster.url('postgres');
  }
  const template = `ctea_tpl_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();

  const { error } = await migrateToLatest(withDatabase(serverUrl, template));
  if (error) throw error;

  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await client.connect();
    // per-file databases are dropped by their files; sweep any left by a crashed worker
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [template, `${template}_f%`],
    );
    for (const { datname } of rows) {
      await client.query(
        `drop database if exists ${client.escapeIdentifier(datname)} with (force)`,
      );
    }
    await client.end();
    // Stopped when this run started it; a run that found it already up leaves it alone. Two runs
    // at once on one machine should use separate clusters (CTEA_PG_TEST_PORT / _DATA_DIR).
    if (cluster) await cluster.stop();
  };
}
