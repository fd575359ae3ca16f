import { createLogger, runService, type Service } from '@edgeship/service-kit';
import pkg from '../package.json';
import { createGatewayApp } from './app';

/** A configuration mistake becomes one log line naming the variable and the fix, and exit 1, not a stack trace. */
function createOrExplain(): Service {
  try {
    return createGatewayApp();
  } catch (error) {
    createLogger({ fields: { service: pkg.name } }).error((error as Error).message);
    return process.exit(1);
  }
}

void runService(createOrExplain());
