export { AUTODISCOVER_POX_PATH, AUTODISCOVER_SOAP_PATH, registerAutodiscover } from './register-autodiscover.js';
export type { AutodiscoverOptions } from './register-autodiscover.js';
export { serviceUrls } from './service-urls.js';
export type { ServiceUrls } from './service-urls.js';
