import { runService } from '@edgeship/service-kit';
import { createGatewayApp } from './app';

void runService(createGatewayApp());
