import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ContractObservation, describeContractFailure, tailLines } from './contract-failure';

const base: ContractObservation = {
  isReady: false,
  isHealthy: false,
  outcome: 'timed-out',
  exitCode: null,
  signal: null,
  timeoutMs: 30_000,
  output: '',
};

describe('describeContractFailure', () => {
  it('says nothing when the contract held', () => {
    assert.equal(
      describeContractFailure('svc', { ...base, isReady: true, isHealthy: true, outcome: 'passed' }),
      undefined,
    );
  });

  it('names a service that binds its port itself, explains the contract and gives the one-line fix', () => {
    const message = describeContractFailure('svc', {
      ...base,
      outcome: 'exited-early',
      exitCode: 1,
      output: 'Error: listen EADDRINUSE: address already in use 127.0.0.1:8101',
    })!;
    assert.match(message, /svc binds its port itself \(listen EADDRINUSE\)/);
    assert.match(message, /socket unit holds the port and passes it as LISTEN_FDS=1/);
    assert.match(
      message,
      /Fix: .*runEdgeServer\(app, \{ name: pkg\.name, version: pkg\.version, port: pkg\.edgeship\.port \}\)/,
    );
  });

  it('tells apart no READY, no /healthz, an early exit and a bad stop', () => {
    const cases: [Partial<ContractObservation>, RegExp][] = [
      [{ isHealthy: true }, /answered \/healthz but never sent READY=1 within 30 s/],
      [{ isReady: true }, /sent READY=1 but \/healthz did not answer 200 within 30 s/],
      [{}, /neither sent READY=1 nor answered \/healthz/],
      [{ outcome: 'exited-early', exitCode: 7 }, /svc exited with code 7 before it reported READY=1/],
      [
        { outcome: 'bad-stop', isReady: true, isHealthy: true, exitCode: 1 },
        /did not drain and exit 0 within 30 s of SIGTERM \(it exited with code 1\)/,
      ],
    ];
    for (const [seen, pattern] of cases)
      assert.match(describeContractFailure('svc', { ...base, ...seen })!, pattern);
  });
});

it('tailLines keeps the last lines', () => {
  assert.equal(tailLines('a\nb\nc\n', 2), 'b\nc');
});
