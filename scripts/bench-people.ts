/**
 * People search benchmark (issue 4: "search and status filters answer in under 200 ms with
 * 100,000 accounts"): `npm run bench:people` (tsx scripts/bench-people.ts).
 *
 * Seeds BENCH_PEOPLE accounts (100,000) into a fresh SQLite file — and into a fresh schema of
 * DATABASE_URL when it is set — in batched multi-row INSERTs, one transaction per batch:
 * French names with accents and hyphens, identifiers with -2, -3… suffixes, e-mails, RPPS for
 * most, establishments, and every status (active, locked, deactivated, provisional, invitations
 * sent and expired). Then times `searchPeople` — what the console page and GET /api/v1/people
 * call: the list query, the count and the establishment match — BENCH_RUNS times (50) per
 * scenario after warm-up, and prints p50/p95/max. Writes var/bench/people-<timestamp>.json.
 *
 * Figures from a shared, noisy machine: for comparison between runs on the same host.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStorage, type Param, type Storage } from '../src/storage/index.ts';
import { searchPeople, type PeopleQuery } from '../src/people/search.ts';
import { PERSON_STATUSES } from '../src/people/status.ts';
import { baseIdentifier } from '../src/accounts/identifier.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { dropSchema, freshDatabaseUrl } from '../test/helpers/backends.ts';
import { rounded, summarize, type LatencySummary } from './bench/stats.ts';
import { ms, table } from './bench/table.ts';

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

const PEOPLE = intEnv('BENCH_PEOPLE', 100_000, 1000);
const RUNS = intEnv('BENCH_RUNS', 50, 1);
const WARMUP = 5;
const BATCH = 500;
const TARGET_MS = 200;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 9, 0, 0);

// ---------------------------------------------------------------- data

const FAMILY = (
  'Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David Bertrand Morel Fournier Girard ' +
  'Bonnet Dupont Lambert Fontaine Rousseau Vincent Müller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand ' +
  'Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël ' +
  'Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy ' +
  'Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc ' +
  'Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet ' +
  'Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard ' +
  'Baron Bertin Bailly Hervé Schneider Fernandez Le Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le Roux Cousin Germain ' +
  "Breton Besson Langlois Rémy Le Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier " +
  "Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva Bouchet Gay Lemaître Bénard Maréchal " +
  "Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte N'Diaye D'Arcy " +
  'Saint-Martin Martin-Lefèvre Ollivier Hébert Bérénger Côté Jérôme Œuvrard Kowalczyk Nguyen Benali Haddad Ferreira Rocha'
).split(/ (?=[A-ZÀ-ÖØ-ÞŒ])/);
const GIVEN = (
  "Hélène Jean Marie Pierre Michel André Philippe Nathalie Isabelle Sylvie Catherine Françoise Christine Jacques Alain Patrick Éric Nicolas " +
  'Christophe Stéphane Laurent Sébastien Julien Céline Sandrine Valérie Véronique Aurélie Émilie Camille Léa Chloé Manon Inès Zoé Lucas Hugo ' +
  'Louis Gabriel Raphaël Arthur Jules Adam Maël Noé Anaïs Océane Mélanie Élodie Gaëlle Loïc Joël Noëlle Anne-Sophie Jean-Pierre Marie-Claire ' +
  'Jean-François Pierre-Yves Marie-Hélène Thérèse Geneviève Benoît François Jérôme Hervé Rémi Clément Grégoire Amélie Cécile Agnès Bérénice ' +
  'Solène Maëlys Clémence Héloïse Timothée Théo Mathéo Noémie Jérémy Frédéric Frédérique Daniel Danièle Pascal Pascale Yves Yvette Odile'
).split(' ');
const PROFESSIONS = ['Médecin généraliste', 'Kinésithérapeute', 'Infirmier', 'Infirmière', 'Pneumologue', 'Cardiologue', 'Pharmacien', 'Secrétaire médicale', 'Diététicienne', 'Enseignant en APA', 'Cadre de santé'];
const CITIES = ['Dijon', 'Besançon', 'Chalon-sur-Saône', 'Nevers', 'Auxerre', 'Mâcon', 'Belfort', 'Montbéliard', 'Lons-le-Saunier', 'Vesoul', 'Beaune', 'Sens', 'Dole', 'Pontarlier', 'Le Creusot', 'Autun', 'Montceau-les-Mines', 'Nuits-Saint-Georges', 'Semur-en-Auxois', 'Châtillon-sur-Seine'];
const KINDS = ['CHU', 'Centre hospitalier', 'Clinique', 'Cabinet', 'Maison de santé', 'Centre de rééducation', 'SSR', 'EHPAD', 'Pharmacie', 'Laboratoire'];
const PLACES = ['des Lilas', 'Saint-Éloi', 'du Parc', 'Pasteur', 'Sainte-Anne', 'de la Gare', 'Les Tilleuls', 'du Château', 'Bellevue', "de l'Aubépine", 'Jean-Jaurès', 'Victor-Hugo'];

/** A small deterministic generator (mulberry32): the same data on every run and backend. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seeded {
  establishments: Array<{ id: string; name: string }>;
  /** A few real values to search for. */
  sample: { identifier: string; email: string; rpps: string };
}

const USER_COLUMNS = [
  'id', 'identifier', 'given_name', 'family_name', 'email', 'establishment_id', 'role', 'status', 'password_hash', 'failed_logins', 'locked_at',
  'last_login_at', 'profession', 'rpps', 'provisional_expires_at', 'terms_accepted_at', 'invited_at', 'invitation_reminders', 'lang', 'created_at', 'updated_at',
];

async function insertRows(storage: Storage, tableName: string, columns: string[], rows: Param[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    await storage.transaction((repos) => repos.db.run(`INSERT INTO ${tableName} (${columns.join(', ')}) VALUES ${batch.map(() => tuple).join(', ')}`, batch.flat()));
  }
}

export async function seed(storage: Storage): Promise<Seeded> {
  const random = rng(20_261_120);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const establishments: Array<{ id: string; name: string }> = [];
  const finess = new Set<string>();
  for (let i = 0; i < 1500; i += 1) establishments.push({ id: `etab-${i}`, name: `${pick(KINDS)} ${pick(PLACES)} ${pick(CITIES)}${i % 7 === 0 ? ` ${i}` : ''}` });
  await insertRows(
    storage,
    'establishments',
    ['id', 'name', 'finess', 'referent_email', 'created_at'],
    establishments.map((e, i) => {
      let f: string;
      do f = `21${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
      while (finess.has(f));
      finess.add(f);
      return [e.id, e.name, i % 3 === 0 ? null : f, `referent${i}@etablissement.example.org`, NOW - 400 * DAY];
    }),
  );

  const taken = new Map<string, number>();
  const rows: Param[][] = [];
  let sample: Seeded['sample'] | null = null;
  for (let i = 0; i < PEOPLE; i += 1) {
    const given = pick(GIVEN);
    const family = random() < 0.08 ? `${pick(FAMILY)}-${pick(FAMILY)}` : pick(FAMILY);
    const base = baseIdentifier(given, family);
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    // What firstFreeIdentifier would pick: base, base-2, base-3…
    const identifier = n === 1 ? base : `${base}-${n}`;
    const email = `${identifier}@${pick(['chu-dijon.fr', 'ch-besancon.fr', 'sante.example.org', 'cabinet.example.fr', 'mssante.fr'])}`;
    const rpps = random() < 0.7 ? `10${String(i).padStart(9, '0')}` : null;
    const created = NOW - Math.floor(random() * 900) * DAY;
    const roll = random();
    // active 80 %, deactivated 10 %, locked 2 %, provisional 2 %, invitation sent 3 %, invitation expired 3 %.
    let status = 'active';
    let expires: number | null = null;
    let invited: number | null = null;
    let terms: number | null = created + DAY;
    if (roll < 0.1) status = 'deactivated';
    else if (roll < 0.12) status = 'locked';
    else if (roll < 0.14) {
      status = 'provisional';
      expires = NOW + 10 * DAY;
      terms = null;
    } else if (roll < 0.17) {
      status = 'provisional';
      invited = NOW - Math.floor(random() * 13) * DAY;
      expires = invited + 14 * DAY;
      terms = null;
    } else if (roll < 0.2) {
      status = 'provisional';
      invited = NOW - (15 + Math.floor(random() * 60)) * DAY;
      expires = invited + 14 * DAY;
      terms = null;
    }
    const establishment = random() < 0.9 ? pick(establishments).id : null;
    rows.push([
      `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      identifier,
      given,
      family,
      email,
      establishment,
      i % 500 === 0 ? 'coordinator' : 'clinician',
      status,
      '$argon2id$v=19$m=19456,t=2,p=1$bench$bench',
      status === 'locked' ? 5 : 0,
      status === 'locked' ? NOW - DAY : null,
      status === 'active' ? NOW - Math.floor(random() * 60) * DAY : null,
      pick(PROFESSIONS),
      rpps,
      expires,
      terms,
      invited,
      invited ? Math.min(3, Math.floor((NOW - invited) / (4 * DAY))) : 0,
      'fr',
      created,
      created,
    ]);
    if (i === Math.floor(PEOPLE * 0.6)) sample = { identifier, email, rpps: rpps ?? '10000000042' };
  }
  await insertRows(storage, 'users', USER_COLUMNS, rows);
  return { establishments, sample: sample! };
}

// ---------------------------------------------------------------- scenarios

interface Scenario {
  name: string;
  query: PeopleQuery;
}

async function scenarios(storage: Storage, clock: ManualClock, seeded: Seeded): Promise<Scenario[]> {
  // A cursor deep in the list: the 90th percentile of the whole order, found once.
  const deep = await storage.db.get<{ search_name: string; id: string }>('SELECT search_name, id FROM users ORDER BY search_name, id LIMIT 1 OFFSET ?', [Math.floor(PEOPLE * 0.9)]);
  const deepCursor = Buffer.from(JSON.stringify([deep!.search_name, deep!.id]), 'utf8').toString('base64url');
  const deepActive = await searchPeople({ storage, clock }, { status: 'active', after: deepCursor, limit: 50 });
  return [
    { name: 'page 1, everyone', query: {} },
    { name: 'deep page (after 90 %) via keyset', query: { after: deepCursor } },
    { name: 'deep page, active only', query: { status: 'active', after: deepActive.next ?? deepCursor } },
    { name: 'surname prefix "lef"', query: { q: 'lef' } },
    { name: 'surname prefix "Lefèvre"', query: { q: 'Lefèvre' } },
    { name: 'surname prefix "m" (broad)', query: { q: 'm' } },
    { name: 'given + family "hélène lef"', query: { q: 'hélène lef' } },
    { name: 'identifier (exact)', query: { q: seeded.sample.identifier } },
    { name: 'e-mail (exact)', query: { q: seeded.sample.email } },
    { name: 'e-mail prefix "jean-pierre."', query: { q: 'jean-pierre.' } },
    { name: 'RPPS (11 digits)', query: { q: seeded.sample.rpps } },
    { name: 'RPPS prefix "1000004"', query: { q: '1000004' } },
    { name: 'establishment word "besançon"', query: { q: 'besançon' } },
    ...PERSON_STATUSES.map((status) => ({ name: `status ${status}`, query: { status } })),
    { name: 'status locked + "mar"', query: { status: 'locked', q: 'mar' } },
    { name: 'status invitation_sent + "dijon"', query: { status: 'invitation_sent', q: 'dijon' } },
  ];
}

interface Result {
  scenario: string;
  /** As the page says it: "10000+" when the count stopped at the cap. */
  matches: string;
  shown: number;
  latency: LatencySummary;
}

async function measure(storage: Storage, clock: ManualClock, scenario: Scenario): Promise<Result> {
  const deps = { storage, clock };
  let last = await searchPeople(deps, scenario.query);
  for (let i = 1; i < WARMUP; i += 1) await searchPeople(deps, scenario.query);
  const samples = new Float64Array(RUNS);
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    last = await searchPeople(deps, scenario.query);
    samples[i] = performance.now() - start;
  }
  return { scenario: scenario.name, matches: `${last.total}${last.totalExact ? '' : '+'}`, shown: last.people.length, latency: summarize(samples) };
}

async function runBackend(name: 'sqlite' | 'postgres', databaseUrl: string | null): Promise<{ backend: string; seedSeconds: number; results: Result[] }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-people-'));
  const url = databaseUrl ? await freshDatabaseUrl(databaseUrl) : null;
  const storage = await openStorage({ databaseUrl: url, dataDir });
  try {
    const clock = new ManualClock(NOW);
    process.stdout.write(`\n[${name}] seeding ${PEOPLE.toLocaleString('en')} accounts… `);
    const t0 = performance.now();
    const seeded = await seed(storage);
    // Statistics (and, on PostgreSQL, the visibility map) as a database in service has them.
    await storage.db.run(name === 'postgres' ? 'VACUUM ANALYZE users' : 'ANALYZE');
    const seedSeconds = (performance.now() - t0) / 1000;
    process.stdout.write(`${seedSeconds.toFixed(1)} s\n`);
    const results: Result[] = [];
    for (const scenario of await scenarios(storage, clock, seeded)) results.push(await measure(storage, clock, scenario));
    console.log(
      table(
        ['scenario', 'matches', 'rows', 'p50 ms', 'p95 ms', 'max ms', `< ${TARGET_MS} ms`],
        results.map((r) => [r.scenario, r.matches, r.shown, ms(r.latency.p50Ms), ms(r.latency.p95Ms), ms(r.latency.maxMs), r.latency.p95Ms < TARGET_MS ? 'yes' : 'NO']),
      ),
    );
    return { backend: name, seedSeconds, results };
  } finally {
    await storage.close();
    if (url) await dropSchema(url);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The whole benchmark; `seed` is exported for ad-hoc experiments on the same data. */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  console.log(`people search: ${PEOPLE.toLocaleString('en')} accounts, ${RUNS} timed runs per scenario (after ${WARMUP} warm-up), target p95 < ${TARGET_MS} ms`);
  const backends = [await runBackend('sqlite', null)];
  if (databaseUrl) backends.push(await runBackend('postgres', databaseUrl));
  else console.log('\n(DATABASE_URL not set: PostgreSQL not measured)');

  const worst = Math.max(...backends.flatMap((b) => b.results.map((r) => r.latency.p95Ms)));
  console.log(`\nworst p95: ${ms(worst)} ms — ${worst < TARGET_MS ? 'every scenario under' : 'ABOVE'} the ${TARGET_MS} ms target`);
  const outDir = fileURLToPath(new URL('../var/bench/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `people-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(rounded({ at: new Date().toISOString(), host: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version }, people: PEOPLE, runs: RUNS, targetMs: TARGET_MS, backends }), null, 2)}\n`,
  );
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
