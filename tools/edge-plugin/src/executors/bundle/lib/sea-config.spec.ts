import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeaConfig, postjectArgs, SEA_FUSE, seaBlobArgs } from './sea-config';

describe('createSeaConfig', () => {
  it('turns off code cache and snapshot so one blob serves both arches', () => {
    assert.deepEqual(createSeaConfig('/w/bundle/main.js', '/w/sea-prep.blob'), {
      main: '/w/bundle/main.js',
      output: '/w/sea-prep.blob',
      disableExperimentalSEAWarning: true,
      useCodeCache: false,
      useSnapshot: false,
    });
  });
});

describe('arguments', () => {
  it('make the blob with the runtime itself', () => {
    assert.deepEqual(seaBlobArgs('/w/sea-config.json'), ['--experimental-sea-config', '/w/sea-config.json']);
  });

  it('inject NODE_SEA_BLOB with the Node.js fuse', () => {
    assert.equal(SEA_FUSE, 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2');
    assert.deepEqual(postjectArgs('/w/bin/a.partial', '/w/sea-prep.blob'), [
      '/w/bin/a.partial',
      'NODE_SEA_BLOB',
      '/w/sea-prep.blob',
      '--sentinel-fuse',
      SEA_FUSE,
    ]);
  });
});
