import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** Debian's chromium (tools/bootstrap installs it); EDGESHIP_CHROMIUM names another binary. */
export function findChromium(): string {
  const candidates = [process.env['EDGESHIP_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path): path is string => Boolean(path) && existsSync(path!));
  if (!found)
    throw new Error(
      'No Chromium for the HTML report tests: run tools/bootstrap/bootstrap.sh (apt-get install -y chromium) or set EDGESHIP_CHROMIUM.',
    );
  return found;
}

/** What a page shows once Chromium has laid it out. */
export interface RenderedPage {
  /** document.body.innerText: the text a person sees (hidden elements left out). */
  text: string;
  /** Evaluates an expression in the page and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Every request the page made while loading besides itself (a self-contained page makes none). */
  requests: string[];
  /** Messages Chromium logged (a Content-Security-Policy violation shows here). */
  console: string[];
}

/**
 * Opens a file in headless Chromium and hands `check` the rendered page. Chromium is driven over the DevTools
 * protocol on a pipe (--remote-debugging-pipe, NUL-terminated JSON on fds 3 and 4): no WebSocket, no port,
 * no npm package. JavaScript stays enabled for the protocol's evaluations; the page's own policy forbids
 * scripts of its own.
 */
export async function withRenderedPage<T>(
  file: string,
  check: (page: RenderedPage) => Promise<T>,
): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'edgeship-chromium-'));
  const chromium = spawn(
    findChromium(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const protocol = new DevToolsPipe(chromium);
  try {
    const { targetId } = await protocol.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await protocol.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const requests: string[] = [];
    const console: string[] = [];
    const url = pathToFileURL(file).href;
    protocol.on('Network.requestWillBeSent', (params: { request: { url: string } }) => {
      if (params.request.url !== url) requests.push(params.request.url);
    });
    protocol.on('Runtime.consoleAPICalled', (params: { args: { value?: unknown }[] }) =>
      console.push(params.args.map((arg) => String(arg.value)).join(' ')),
    );
    protocol.on('Log.entryAdded', (params: { entry: { text: string } }) => console.push(params.entry.text));
    for (const domain of ['Page', 'Network', 'Runtime', 'Log'])
      await protocol.send(`${domain}.enable`, {}, sessionId);
    const loaded = protocol.once('Page.loadEventFired');
    await protocol.send('Page.navigate', { url }, sessionId);
    await loaded;
    const evaluate = async <V>(expression: string): Promise<V> => {
      const { result, exceptionDetails } = await protocol.send<{
        result: { value: V };
        exceptionDetails?: { text: string };
      }>('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
      if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
      return result.value;
    };
    const text = await evaluate<string>('document.body.innerText');
    return await check({ text, evaluate, requests, console });
  } finally {
    await closeChromium(chromium, protocol);
    // Chromium's helper processes (crashpad, utility) may still flush into the profile for a moment after the
    // browser process exits: an rmdir then fails with ENOTEMPTY, so the removal retries.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/** Browser.close lets Chromium shut its helper processes down; a kill is the fallback if it does not answer. */
async function closeChromium(chromium: ChildProcess, protocol: DevToolsPipe): Promise<void> {
  if (chromium.exitCode !== null || chromium.signalCode !== null) return;
  const exited = new Promise((done) => chromium.once('exit', done));
  await protocol.send('Browser.close', {}).catch(() => chromium.kill());
  const timer = setTimeout(() => chromium.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

type Listener = (params: never) => void;

/** The DevTools protocol over Chromium's pipe: requests by id, events by method. */
class DevToolsPipe {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Listener[]>();
  private stderr = '';

  constructor(private readonly chromium: ChildProcess) {
    const input = chromium.stdio[4] as Readable;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.receive(chunk));
    (chromium.stdio[2] as Readable).on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    chromium.on('exit', (code) => {
      for (const { reject } of this.pending.values())
        reject(new Error(`chromium exited (${code}) before answering:\n${this.stderr}`));
      this.pending.clear();
    });
  }

  send<T = unknown>(method: string, params: object, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${method}: no answer within 30 s\n${this.stderr}`)),
        30_000,
      );
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      (this.chromium.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  on(method: string, listener: Listener): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  once(method: string): Promise<unknown> {
    return new Promise((resolve) => this.on(method, resolve as Listener));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        method?: string;
        params?: unknown;
        result?: unknown;
        error?: { message: string };
      };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(message.error.message));
        else waiting?.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params as never);
      }
    }
  }
}
