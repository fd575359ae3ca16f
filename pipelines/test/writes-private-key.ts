// The shapes a CI script line takes when it leaves a private key in a file on the runner. A runner
// keeps its disk from one job to the next, so a key written there outlives the job that needed it.
const KEY_WRITES: RegExp[] = [
  // anything redirected, tee'd, copied or installed into ~/.ssh or an id_* key file
  /(>|\btee\b|\bcp\b|\bmv\b|\binstall\b)[^|;&]*(\.ssh\/|\bid_(rsa|dsa|ecdsa|ed25519)\b)/,
  // a variable named *KEY* (a CI secret) echoed, printed or cat'ed into a file
  /\b(echo|printf|cat)\b[^|;&]*\$\{?[A-Z0-9_]*KEY[A-Z0-9_]*\}?\b[^|;&]*(>|\btee\b)/,
  // ... or piped into tee
  /\$\{?[A-Z0-9_]*KEY[A-Z0-9_]*\}?[^;&]*\|\s*tee\b/,
  // a file-type CI variable named *KEY* copied somewhere (a link is not a copy)
  /\b(cp|mv|install)\b[^|;&]*"?\$\{?[A-Z0-9_]*KEY\}?"?\s/,
  // key material decoded into a file
  /\bbase64\b[^|;&]*(-d|--decode)\b[^|;&]*>/,
];

export function writesPrivateKey(line: string): boolean {
  return KEY_WRITES.some((pattern) => pattern.test(line));
}
