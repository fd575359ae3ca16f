import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { readBuildRecord, SIGNATURE, SIGNED_RECORD, type BuildRecord } from '../build-record';
import { establishTrust } from '../../executors/deploy/lib/trusted-build';
import type { TrustAnchor } from '../trust-anchor';

export interface PublishInput {
  /** dist/<svc> (or a copy of it): the build, its build.json and build.json.sig. */
  distDir: string;
  /** How distDir is named in messages. */
  shownDir: string;
  /** The channel's directory, which the channel server serves. */
  channelDir: string;
  anchor: TrustAnchor | undefined;
}

export interface Published {
  service: string;
  version: string;
  files: string[];
}

/**
 * Makes a signed build the desired release of every node that pulls the service: its executables, then
 * build.json.sig, then build.json go to <channel>/<svc>/, each by a rename, so a node reads the old record or
 * the new one, with its executables already there. Only a build whose signature verifies against the trust
 * anchor is published: the nodes verify again, but an unsigned channel would only make every node refuse.
 */
export async function publishToChannel(input: PublishInput): Promise<Published> {
  const built = readBuildRecord(input.distDir, input.shownDir);
  if (!built)
    throw new ConfigError(
      `${input.shownDir}/${SIGNED_RECORD}`,
      'build record',
      undefined,
      'Pull mode publishes a released build: run the bundle and release targets first.',
    );
  const policy = {
    isSignatureRequired: true,
    why: 'pull mode publishes signed builds only',
    anchor: input.anchor,
  };
  const trusted = await establishTrust(built, input.distDir, input.shownDir, policy);
  const record: BuildRecord = trusted.record;
  if (record.executables.length === 0)
    throw new ConfigError(
      `${input.shownDir}/${SIGNED_RECORD}`,
      'executables',
      '[]',
      'Pull mode delivers executables: bundle the service for the nodes’ architectures and release it again.',
    );
  const serviceDir = join(input.channelDir, record.service);
  await mkdir(join(serviceDir, 'bin'), { recursive: true });
  const files: string[] = [];
  for (const executable of record.executables) {
    await replaceFile(serviceDir, executable.file, (to) =>
      copyFile(join(input.distDir, executable.file), to),
    );
    files.push(executable.file);
  }
  // The signature first: until build.json is renamed in, a node still reads the old pair (or refuses once).
  await replaceFile(serviceDir, SIGNATURE, (to) => writeFile(to, trusted.signed!.signature));
  await replaceFile(serviceDir, SIGNED_RECORD, (to) => writeFile(to, trusted.signed!.record));
  return { service: record.service, version: record.version, files: [...files, SIGNATURE, SIGNED_RECORD] };
}

async function replaceFile(dir: string, file: string, write: (to: string) => Promise<void>): Promise<void> {
  const temporary = join(dir, `${file}.publishing-${process.pid}`);
  await write(temporary);
  await rename(temporary, join(dir, file));
}
