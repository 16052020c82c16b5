export * from './app-external-secret';
export * from './gcp-secret-store';
