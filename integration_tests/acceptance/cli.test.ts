/**
 * The acceptance suite against the built CLI (`node dist/main.js`, built by `npm test`), the way the
 * platform runs a connector, with the in-process sandbox as every vendor's API.
 */
import { cli } from '../../tools/testing/harness.js';
import { acceptanceSuite } from './suite.js';

acceptanceSuite(cli());
