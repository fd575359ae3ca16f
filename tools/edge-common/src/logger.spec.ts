import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportError, ToolError } from './errors';
import { logger, setLogSink } from './logger';

describe('logger', () => {
  it('writes to the sink it is given, ordinary lines apart from warnings and errors, until restored', () => {
    const out: string[] = [];
    const err: string[] = [];
    const restore = setLogSink({ out: (line) => out.push(line), err: (line) => err.push(line) });
    try {
      logger.step('bundle');
      logger.table([{ service: 'hello-edge', size: '71.2 KiB' }]);
      logger.warn('no git remote');
      reportError(new ToolError('docker exited with code 1', 'docker build', 1, 'no space left'));
    } finally {
      restore();
    }
    assert.deepEqual(out, [
      '▸ bundle',
      'service     size    ',
      '----------  --------',
      'hello-edge  71.2 KiB',
    ]);
    assert.deepEqual(err, [
      '⚠ no git remote',
      '✖ docker exited with code 1\n--- docker build said:\nno space left',
    ]);
    const after: string[] = [];
    const again = setLogSink({ out: (line) => after.push(line), err: (line) => after.push(line) });
    restore();
    logger.info('back to the previous sink');
    again();
    assert.deepEqual(after, []);
  });
});
