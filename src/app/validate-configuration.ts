import type { LoadConfigurationResult } from '../config/index.js';
import { loadConfiguration, loadValidConfiguration } from '../config/index.js';
import type { OpenumConfiguration, Diagnostic } from '../config/index.js';
import { CONFIGURATION_CHECKS } from './configuration-checks.js';

/** Loads a file with every layer's checks; never throws for bad input (`openum validate`). */
export function validateConfigurationFile(file: string): LoadConfigurationResult {
  return loadConfiguration(file, { checks: CONFIGURATION_CHECKS });
}

/** Loads a file with every layer's checks, throwing ConfigurationInvalidError on any error. */
export function loadConfigurationFile(file: string): { configuration: OpenumConfiguration; warnings: Diagnostic[] } {
  return loadValidConfiguration(file, { checks: CONFIGURATION_CHECKS });
}
