import { createHash } from 'node:crypto';

/**
 * What a Node.js binary needs at run time, from Debian: the C library and loader, the C++ runtime,
 * CA certificates (for --use-system-ca / SSL_CERT_FILE) and time zones. Nothing that runs a shell.
 * `perArch` packages are downloaded for the target arch; the others are arch-independent.
 */
export const BASE_PACKAGES: readonly { name: string; perArch: boolean }[] = [
  { name: 'libc6', perArch: true },
  { name: 'libstdc++6', perArch: true },
  { name: 'libgcc-s1', perArch: true },
  { name: 'ca-certificates', perArch: false },
  { name: 'tzdata', perArch: false },
];

/** Bump when what the recipe keeps or writes changes: the hash, and so the cache entry, changes with it. */
export const BASE_RECIPE_VERSION = 1;

/** The one non-root user every service runs as (distroless uses 65532; any fixed id above 10000 will do). */
export const SERVICE_USER = { name: 'edge', uid: 10001, gid: 10001 } as const;

/** Files shared by every image carry this mtime, not a commit's: they must stay byte-identical across commits. */
export const SHARED_LAYER_EPOCH = 0;

/** glibc's debugging and profiling helpers: shared objects nothing loads at run time. */
const DEBUG_LIBRARIES = new Set([
  'libmemusage.so',
  'libpcprofile.so',
  'libc_malloc_debug.so.0',
  'libthread_db.so.1',
  'libBrokenLocale.so.1',
]);

/** Cache key of the base: the package list and the recipe, per arch; not the clock, not the machine. */
export function computeBaseHash(debArch: string, packages = BASE_PACKAGES): string {
  const recipe = {
    recipe: BASE_RECIPE_VERSION,
    arch: debArch,
    packages: packages.map((p) => p.name).sort(),
    user: SERVICE_USER,
  };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
}

export function baseImageTag(debArch: string, hash: string): string {
  return `edgeship-base:${debArch}-${hash}`;
}

export function aptDownloadSpecs(debArch: string, packages = BASE_PACKAGES): string[] {
  return packages.map((p) => (p.perArch ? `${p.name}:${debArch}` : p.name));
}

/**
 * Whether a file extracted from the packages is needed at run time: the dynamic loader, shared objects
 * directly in the multiarch folders (not gconv modules or audit libs), and time zones (minus the
 * leap-second "right/" copies). Docs, man pages, locales, gconv, maintainer scripts and update tools go.
 * The CA bundle is written by us (update-ca-certificates never runs), so the single .crt files go too.
 */
export function isRuntimePath(path: string, triplet: string): boolean {
  if (/^lib(64)?\/ld-linux[^/]*$/.test(path)) return true;
  const library = new RegExp(`^(usr/)?lib/${escapeRegExp(triplet)}/([^/]+\\.so(\\.[0-9]+)*)$`).exec(path);
  if (library) return !DEBUG_LIBRARIES.has(library[2]!);
  return path.startsWith('usr/share/zoneinfo/') && !path.startsWith('usr/share/zoneinfo/right/');
}

/** /etc files a Node.js process reads: its user (os.userInfo, no "I have no name!"), name service order. */
export function renderEtcFiles(): Record<string, string> {
  const { name, uid, gid } = SERVICE_USER;
  return {
    'etc/passwd': `root:x:0:0:root:/root:/sbin/nologin\n${name}:x:${uid}:${gid}:edgeship service:/nonexistent:/sbin/nologin\n`,
    'etc/group': `root:x:0:\n${name}:x:${gid}:\n`,
    'etc/nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\n',
  };
}

/** The bundle update-ca-certificates would write: every Mozilla certificate, in C-locale file order. */
export function concatCertificates(certificates: readonly { name: string; pem: string }[]): string {
  return [...certificates]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => (c.pem.endsWith('\n') ? c.pem : `${c.pem}\n`))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
