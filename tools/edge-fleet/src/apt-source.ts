import { readFile } from 'node:fs/promises';
import { ConfigError } from '@edgeship/edge-common';

export const DEBIAN_SOURCES_FILE = '/etc/apt/sources.list.d/debian.sources';

/**
 * The Debian archive this machine is allowed to reach, taken from its own apt sources (deb822)
 * rather than written into the repo: CI and laptops may point at different mirrors.
 */
export function parseArchiveUri(text: string, suite: string, file = DEBIAN_SOURCES_FILE): string {
  const stanzas = text.split(/\n\s*\n/).map(parseStanza);
  for (const fields of stanzas) {
    const types = (fields.get('types') ?? '').split(/\s+/);
    const suites = (fields.get('suites') ?? '').split(/\s+/);
    const uri = (fields.get('uris') ?? '').split(/\s+/).find(Boolean);
    if (types.includes('deb') && suites.includes(suite) && uri) return uri;
  }
  throw new ConfigError(
    file,
    'URIs',
    undefined,
    `Add a "Types: deb" stanza with "Suites: ${suite}" and the archive URI.`,
  );
}

export async function readArchiveUri(suite: string, file = DEBIAN_SOURCES_FILE): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(
      file,
      'file',
      undefined,
      `The node image is built from Debian ${suite}; this machine needs its apt sources in ${file}.`,
    );
  }
  return parseArchiveUri(text, suite, file);
}

function parseStanza(stanza: string): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of stanza.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (/^\s/.test(line) && current) {
      fields.set(current, `${fields.get(current)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    current = line.slice(0, colon).trim().toLowerCase();
    fields.set(current, line.slice(colon + 1).trim());
  }
  return fields;
}
