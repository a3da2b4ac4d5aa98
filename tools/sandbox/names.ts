import { hash32 } from './random.js';

/**
 * Name pools with the characters that break naive code: diacritics, Polish and Nordic letters,
 * apostrophes, multi-word surnames.
 */
const FIRST = [
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  'Amélie',
  'Jürgen',
  'Chloé',
  'Mateo',
  'Aisha',
  'Björn',
  'Ingrid',
  'Kenji',
  'Siobhán',
  'François',
  'Małgorzata',
  'Élodie',
  'Özlem',
  'Radhika',
  'Thabo',
  'Camille',
  'Ana María',
  'Hà',
  'Wei',
  'Oluwaseun',
  'Niamh',
  'Göran',
  'Renée',
  'Joaquín',
  'Tomáš',
  'Lena',
  'Mia',
  'Noah',
  'Liam',
  'Emma',
  'Olivia',
  'Lucas',
  'Sofía',
  'Jonas',
  'Ines',
  'Priya',
  'Dmitri',
  'Yuki',
  'Fatima',
  'Carlos',
  'Hannah',
  'Ewa',
  'Anders',
  'Chiara',
  'Mohammed',
  'Beatriz',
] as const;

const LAST = [
  'Ødegård',
  'Müller',
  'Kowalski',
  'Nørgaard',
  'Dubois',
  'Schröder',
  'García',
  'Öztürk',
  'Smith',
  "O'Brien",
  'van der Berg',
  'Nguyễn',
  'Dvořák',
  'Jørgensen',
  'Fernández',
  'Zieliński',
  'Kim',
  'Okafor',
  'Håkansson',
  'Lefèvre',
  'Patel',
  'Müller-Lüdenscheidt',
  'Rossi',
  'Johansson',
  'Tanaka',
  'Silva',
  'Novak',
  'Schmidt',
  'Ivanova',
  'Costa',
  'de la Cruz',
  'Weiß',
  'Andersen',
  'Papadopoulos',
  'Ahmed',
  "D'Angelo",
  'Brown',
  'Wójcik',
  'Martínez',
  'Becker',
  'Yılmaz',
  'Virtanen',
  'Horváth',
  'Larsen',
  'Moreau',
  'Bianchi',
  'Chen',
  'Sato',
  'Mensah',
  'Keller',
] as const;

const MIDDLE = ['von', 'de', 'van', 'Maria', 'J.'] as const;

const NICKNAMES: Record<string, string> = {
  Małgorzata: 'Gosia',
  Łukasz: 'Łuki',
  Oluwaseun: 'Seun',
  'Ana María': 'Anamá',
  Dmitri: 'Dima',
  François: 'Franz',
  Joaquín: 'Quino',
  Mohammed: 'Mo',
  Beatriz: 'Bia',
  Siobhán: 'Shiv',
};

/** The three names every data set contains, so tests can look for them. */
const FIXED: ReadonlyArray<readonly [string, string]> = [
  ['Zoë', 'Ødegård'],
  ['José', 'Müller'],
  ['Łukasz', 'Kowalski'],
];

export interface PersonName {
  first: string;
  last: string;
  middle: string | undefined;
  full: string;
  /** Preferred name when different from the full name. */
  preferred: string | undefined;
}

/**
 * Name number `index` of a tenant. First and last name come from a bijection on
 * (index mod |FIRST|, index div |FIRST|), so the first |FIRST|·|LAST| people never share a full name.
 */
export function personName(seed: number, tenant: string, index: number): PersonName {
  const offset = hash32(seed, 'names', tenant);
  const fixed = FIXED[index];
  let first: string;
  let last: string;
  if (fixed) {
    [first, last] = fixed;
  } else {
    const a = index % FIRST.length;
    const b = (Math.floor(index / FIRST.length) + 7 * a + offset) % LAST.length;
    first = FIRST[a] as string;
    last = LAST[b] as string;
  }
  const h = hash32(seed, 'name-extra', tenant, index);
  const middle = fixed || h % 11 !== 0 ? undefined : MIDDLE[h % MIDDLE.length];
  const full = middle ? `${first} ${middle} ${last}` : `${first} ${last}`;
  const nick = NICKNAMES[first];
  const preferred = nick && h % 3 === 0 ? `${nick} ${last}` : undefined;
  return { first, last, middle, full, preferred };
}

const slugs = new Map<string, string>();

/** ASCII-folds a name for e-mail addresses: "Zoë Ødegård" → "zoe", "odegard". Memoised: the vocabulary is small. */
export function asciiSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = fold(text);
    if (slugs.size < 10000) slugs.set(text, slug);
  }
  return slug;
}

function fold(text: string): string {
  return text
    .replace(/[Øø]/g, 'o')
    .replace(/[Łł]/g, 'l')
    .replace(/[Ææ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[Đđ]/g, 'd')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A unique address: the full-name combinations repeat only after |FIRST|·|LAST| people. */
export function emailFor(name: PersonName, index: number, domain: string): string {
  const local = `${asciiSlug(name.first)}.${asciiSlug(name.last)}`;
  // Somebody else may naturally carry one of the fixed names; the index keeps the address unique.
  if (index >= FIXED.length && FIXED.some(([f, l]) => f === name.first && l === name.last)) {
    return `${local}.${index}@${domain}`;
  }
  const cycle = Math.floor(index / (FIRST.length * LAST.length));
  return `${local}${cycle > 0 ? cycle : ''}@${domain}`;
}
