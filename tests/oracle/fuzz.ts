/**
 * Seeded random recipes for the oracle: messages whose subject, names, bodies, filenames
 * and output policy are drawn from pools of ASCII, Latin, Cyrillic, CJK and emoji words.
 * The same seed always gives the same recipes, so a failure can be replayed by its name.
 *
 * @module
 */
import type { ContentOptions, Expectation, ExpectedAddress, Op, PolicyRef, Recipe } from "./recipe.js";

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "hello", "world", "report", "Q3", "re:", "fwd:", "a", "meeting", "tomorrow", "at", "10:00",
  "Grüße", "Köln", "café", "naïve", "Ångström", "Straße", "façade", "Zażółć", "žluťoučký",
  "Привет", "мир", "Ёлка", "日本語", "テキスト", "你好", "世界", "안녕하세요", "🎉", "✓",
  "x".repeat(30), "supercalifragilisticexpialidocious", "(note)", '"quoted"', "50%", "a=b", "tab\there",
];
const NAMES = ["Ada Lovelace", "Jürgen Müller", "山田太郎", "Lovelace, Ada", "O'Brien", "Zoë Ångström", "Иван Петров", "Bob"];
const POLICIES: readonly PolicyRef[] = [
  "default",
  "SMTP",
  "SMTPUTF8",
  "HTTP",
  "strict",
  { base: "default", overrides: { maxLineLength: 60 } },
  { base: "SMTP", overrides: { cteType: "7bit" } },
];

/**
 * `count` random recipes from `seed`. Each has a From, To, Subject, Date, a text body,
 * and maybe an html alternative and an attachment.
 */
export function fuzzRecipes(seed: number, count: number): Recipe[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const recipes: Recipe[] = [];
  for (let i = 0; i < count; i++) {
    const subject = words(1 + Math.floor(random() * 14));
    const fromName = pick(NAMES);
    const toName = pick(NAMES);
    const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, () => words(Math.floor(random() * 25)));
    const body = `${lines.join("\n")}\n`;
    const ops: Op[] = [
      { op: "set", name: "From", value: { $address: { displayName: fromName, username: "from", domain: "example.com" } } },
      { op: "set", name: "To", value: [{ $address: { displayName: toName, username: "to", domain: "example.org" } }] },
      { op: "set", name: "Subject", value: subject },
      { op: "set", name: "Date", value: { $date: "2021-01-01T12:34:56Z" } },
      { op: "setContent", content: body },
    ];
    const expect: { -readonly [K in keyof Expectation]: Expectation[K] } = {
      subject,
      from: { name: fromName, address: "from@example.com" },
      to: [{ name: toName, address: "to@example.org" }],
      text: body,
    };
    if (random() < 0.4) {
      const html = `<p>${words(3 + Math.floor(random() * 30))}</p>\n`;
      ops.push({ op: "addAlternative", content: html, options: { subtype: "html" } });
      expect.html = html;
    }
    if (random() < 0.4) {
      const length = Math.floor(random() * 3000);
      const filename = `${words(1 + Math.floor(random() * 3)).replace(/[\t"]/g, "_")}.bin`;
      const options: ContentOptions = { maintype: "application", subtype: "octet-stream", filename };
      ops.push({ op: "addAttachment", content: { $bytes: { length, seed: i } }, options });
      expect.attachments = [{ filename, mimeType: "application/octet-stream", content: { $bytes: { length, seed: i } } }];
    }
    recipes.push({ name: `fuzz #${i} (seed ${seed})`, message: { class: "EmailMessage", ops }, output: pick(POLICIES), expect });
  }
  return recipes;
}

/** Charsets for legacy bodies, each with words it can encode. */
const LEGACY_CHARSETS: ReadonlyArray<{ readonly charset: string | undefined; readonly words: readonly string[] }> = [
  { charset: undefined, words: ["hello", "world", "a", "report", "From", ".", "x".repeat(40), "a=b", "50%"] },
  { charset: "utf-8", words: ["Grüße", "日本語", "🎉", "hello", "мир", "x".repeat(40), "a=b"] },
  { charset: "iso-8859-1", words: ["café", "naïve", "Ångström", "hello", "façade", "=", "x".repeat(40)] },
  { charset: "koi8-r", words: ["Привет", "мир", "Ёлка", "hello"] },
  { charset: "iso-2022-jp", words: ["日本語", "テキスト", "こんにちは", "hello"] },
];

/**
 * `count` random legacy recipes from `seed`: a MIMEText in a random charset with a
 * random subject and From (through formataddr), written with compat32.
 */
export function legacyFuzzRecipes(seed: number, count: number): Recipe[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const recipes: Recipe[] = [];
  for (let i = 0; i < count; i++) {
    const { charset, words } = pick(LEGACY_CHARSETS);
    const text = (n: number): string => Array.from({ length: n }, () => pick(words)).join(" ");
    const body = `${Array.from({ length: 1 + Math.floor(random() * 5) }, () => text(Math.floor(random() * 20))).join("\n")}\n`;
    const subject = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(WORDS)).join(" ");
    const name = pick(NAMES);
    const args: readonly [string, string, string] | readonly [string, string] = charset ? [body, "plain", charset] : [body, "plain"];
    recipes.push({
      name: `legacy fuzz #${i} (seed ${seed})`,
      message: {
        class: "MIMEText",
        args,
        ops: [
          { op: "set", name: "Subject", value: subject },
          { op: "set", name: "From", value: { $formataddr: [name, "from@example.com"] } },
        ],
      },
      output: random() < 0.5 ? "compat32" : { base: "compat32", overrides: { linesep: "\r\n" } },
      expect: { subject, from: { name, address: "from@example.com" }, text: body },
    });
  }
  return recipes;
}

/**
 * `count` random recipes from `seed` stressing address lists (names with specials and
 * non-ASCII, groups) and attachment filenames (long, non-ASCII, RFC 2231).
 */
export function addressFuzzRecipes(seed: number, count: number): Recipe[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const recipes: Recipe[] = [];
  for (let i = 0; i < count; i++) {
    const mailboxes = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, k) => ({
      name: random() < 0.2 ? "" : pick(NAMES),
      address: `user${k}@example.org`,
    }));
    const asTagged = (m: { name: string; address: string }): { $address: { displayName: string; addrSpec: string } } => ({
      $address: { displayName: m.name, addrSpec: m.address },
    });
    const grouped = random() < 0.3;
    const groupName = pick(["Team", "Équipe", "Friends & Family", "チーム"]);
    const to: ExpectedAddress[] = grouped ? [{ name: groupName, group: mailboxes }] : mailboxes;
    const toValue = grouped ? { $group: { displayName: groupName, addresses: mailboxes.map(asTagged) } } : mailboxes.map(asTagged);
    const filename = `${Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(WORDS)).join(" ").replace(/[\t"]/g, "_")}.dat`;
    const ops: Op[] = [
      { op: "set", name: "From", value: "Ada Lovelace <ada@example.com>" },
      { op: "set", name: "To", value: toValue },
      { op: "set", name: "Subject", value: `addresses ${i}` },
      { op: "setContent", content: "See attached.\n" },
      { op: "addAttachment", content: { $bytes: { length: 64, seed: i } }, options: { maintype: "application", subtype: "octet-stream", filename } },
    ];
    recipes.push({
      name: `address fuzz #${i} (seed ${seed})`,
      message: { class: "EmailMessage", ops },
      output: pick(POLICIES),
      expect: {
        subject: `addresses ${i}`,
        to,
        attachments: [{ filename, mimeType: "application/octet-stream", content: { $bytes: { length: 64, seed: i } } }],
      },
    });
  }
  return recipes;
}

/**
 * Fuzz findings kept as fixed recipes (found with seed 7, #104 and #353): spaces at folds
 * next to encoded words. They run with the fuzz recipes, under the same rules.
 */
export const FINDINGS: readonly Recipe[] = [
  {
    name: "finding: one space before a non-ASCII word at a fold",
    message: { class: "EmailMessage", ops: [{ op: "set", name: "Subject", value: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 50% Ёлка" }, { op: "setContent", content: "Body.\n" }] },
    output: { base: "default", overrides: { maxLineLength: 60 } },
    expect: { subject: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 50% Ёлка", text: "Body.\n" },
  },
  {
    name: "finding: the space between two encoded words is kept",
    message: {
      class: "EmailMessage",
      ops: [
        { op: "set", name: "Subject", value: '"quoted" 안녕하세요 žluťoučký 你好 Ångström Q3 Grüße Grüße Grüße 안녕하세요 你好 日本語' },
        { op: "setContent", content: "Body.\n" },
      ],
    },
    output: "default",
    expect: { subject: '"quoted" 안녕하세요 žluťoučký 你好 Ångström Q3 Grüße Grüße Grüße 안녕하세요 你好 日本語', text: "Body.\n" },
  },
];

/** The seed of the fuzz recipes the tests run (gaps.ts names recipes by it). */
export const FUZZ_SEED = 20210101;

/** The fuzz recipes the tests run. */
export const FUZZ_RECIPES: readonly Recipe[] = [
  ...FINDINGS,
  ...fuzzRecipes(FUZZ_SEED, 150),
  ...legacyFuzzRecipes(FUZZ_SEED, 100),
  ...addressFuzzRecipes(FUZZ_SEED, 100),
];
