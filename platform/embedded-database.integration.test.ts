import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedDatabaseDir, EmbeddedDatabaseLayoutError, refuseEarlierLayout } from './embedded-database.js';

describe('the one embedded database folder', () => {
  const roots: string[] = [];
  const dataRoot = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'spe-layout-'));
    roots.push(root);
    return root;
  };
  /** A folder as PGlite leaves it (PG_VERSION is what marks a cluster). */
  const cluster = (dir: string): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
  };
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('lives beside the Permit Manager folder unless DATABASE_DIR says otherwise, and in memory when that folder is empty', () => {
    expect(embeddedDatabaseDir(undefined, './data/permits')).toBe('data/database');
    expect(embeddedDatabaseDir('/srv/spe/db', './data/permits')).toBe('/srv/spe/db');
    expect(embeddedDatabaseDir(undefined, '')).toBe('');
  });

  it('refuses a data folder holding only the two databases of the earlier layout, naming them and what to do', () => {
    const root = dataRoot();
    cluster(join(root, 'permits'));
    cluster(join(root, 'engine'));
    const refuse = (): void => refuseEarlierLayout(join(root, 'database'), { permitDataDir: join(root, 'permits'), engineDataDir: join(root, 'engine') });
    expect(refuse).toThrow(EmbeddedDatabaseLayoutError);
    expect(refuse).toThrow(`kept two embedded databases (${join(root, 'permits')}, ${join(root, 'engine')})`);
    expect(refuse).toThrow('mv data data.before && npm start');
  });

  it('opens a new folder beside a standalone engine database (npm run engine), and a folder that already has the one database', () => {
    const root = dataRoot();
    cluster(join(root, 'engine'));
    expect(() => refuseEarlierLayout(join(root, 'database'), { permitDataDir: join(root, 'permits'), engineDataDir: join(root, 'engine') })).not.toThrow();
    cluster(join(root, 'permits'));
    expect(() => refuseEarlierLayout(join(root, 'database'), { permitDataDir: join(root, 'permits'), engineDataDir: join(root, 'engine') })).toThrow(EmbeddedDatabaseLayoutError);
    cluster(join(root, 'database'));
    expect(() => refuseEarlierLayout(join(root, 'database'), { permitDataDir: join(root, 'permits'), engineDataDir: join(root, 'engine') })).not.toThrow();
  });
});
