/**
 * Node 20's test runner reads each spec file's stdout as its message stream; plain log lines written
 * there while a message is in flight corrupt it ("Unable to deserialize cloned data", seen here with
 * the logger's output). Specs that run executors import this first so their logs go to stderr.
 */
console.log = (...args: unknown[]) => console.error(...args);
console.info = console.log;
