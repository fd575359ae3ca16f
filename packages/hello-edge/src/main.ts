import { runService } from '@edgeship/service-kit';
import { createHelloApp } from './app';

void runService(createHelloApp());
