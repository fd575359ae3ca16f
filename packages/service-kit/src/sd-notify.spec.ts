import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { createService } from './create-service';
import { captureLogs, waitFor } from './fixtures/test-helpers';
import { createNotifier, resolveWatchdogIntervalMs } from './sd-notify';

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('the watchdog interval is half of WATCHDOG_USEC, and only for the PID systemd named', () => {
  assert.equal(resolveWatchdogIntervalMs({ WATCHDOG_USEC: '30000000' }), 15_000);
  assert.equal(resolveWatchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 15_000);
  assert.equal(resolveWatchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42), undefined);
  assert.equal(resolveWatchdogIntervalMs({}), undefined);
  assert.equal(resolveWatchdogIntervalMs({ WATCHDOG_USEC: 'soon' }), undefined);
});

test('without NOTIFY_SOCKET nothing is spawned and notify reports false', async () => {
  const logs = captureLogs();
  const notifier = createNotifier({ env: {}, log: logs.logger, command: '/nonexistent/systemd-notify' });
  assert.equal(notifier.isEnabled, false);
  assert.equal(await notifier.notify('READY=1'), false);
  assert.deepEqual(logs.readLines(), []);
});

test('a missing systemd-notify is logged as a warning, not thrown', async () => {
  const logs = captureLogs();
  const env = { NOTIFY_SOCKET: '/run/nothing-here' };
  const notifier = createNotifier({ env, log: logs.logger, command: '/nonexistent/systemd-notify' });
  assert.equal(await notifier.notify('READY=1'), false);
  assert.equal(logs.readLines()[0]?.msg, 'sd_notify failed');
});

const missing = ['python3', 'systemd-notify'].filter((command) => !hasCommand(command));
describe(
  'sd_notify through a real datagram socket',
  { skip: missing.length ? `missing ${missing}` : false },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-notify-'));
    const socketPath = join(dir, 'notify.sock');
    const received: string[] = [];
    let receiver: ChildProcess;

    before(async () => {
      receiver = spawn('python3', [join(__dirname, 'fixtures', 'notify-receiver.py'), socketPath]);
      // Whole lines: a pipe chunk may end in the middle of one.
      createInterface({ input: receiver.stdout! }).on('line', (line) => {
        if (line) received.push(line);
      });
      await waitFor(() => received.includes('bound'), 'the notify receiver to bind', 30_000);
    });
    after(() => {
      receiver.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    test('READY=1 after listening, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on shutdown', async (t) => {
      const logs = captureLogs();
      const env = { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '200000' };
      const service = createService({
        name: 'n',
        version: '0',
        port: 0,
        host: '127.0.0.1',
        env,
        logger: logs.logger,
      });
      t.after(() => service.stop());
      const { port } = await service.start();
      // start() resolves after systemd-notify returned, i.e. after the message (and its barrier) was received.
      assert.ok(received.includes('READY=1'), `READY=1 in ${JSON.stringify(received)}`);
      assert.ok(received.includes(`STATUS=listening on 127.0.0.1:${port}`));
      await waitFor(
        () => received.filter((m) => m === 'WATCHDOG=1').length >= 2,
        'two WATCHDOG=1 pings',
        2000,
      );
      assert.equal(received.includes('STOPPING=1'), false);
      await service.stop('test');
      assert.ok(received.includes('STOPPING=1'));
      assert.equal(logs.readLines().filter((l) => l.msg === 'sd_notify failed').length, 0);
      await new Promise((resolve) => setTimeout(resolve, 50)); // a ping spawned just before stop may still land
      const afterStop = received.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(received.length, afterStop, 'no watchdog pings after stop');
    });
  },
);
