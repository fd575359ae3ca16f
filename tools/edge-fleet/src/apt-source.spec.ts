import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArchiveUri } from './apt-source';

const SOURCES = `Types: deb
# a comment line
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

describe('parseArchiveUri', () => {
  it('takes the URI of the deb stanza that lists the suite', () => {
    assert.equal(parseArchiveUri(SOURCES, 'bookworm'), 'http://mirror.example/debian');
    assert.equal(parseArchiveUri(SOURCES, 'bookworm-security'), 'http://mirror.example/debian-security');
  });

  it('ignores deb-src stanzas and names the file and fix when nothing matches', () => {
    assert.throws(
      () =>
        parseArchiveUri('Types: deb-src\nURIs: http://x/\nSuites: bookworm\n', 'bookworm', '/etc/x.sources'),
      /\/etc\/x.sources: URIs is missing\. Add a "Types: deb" stanza with "Suites: bookworm"/,
    );
  });
});
