export * from './app-destination-rule';
export * from './app-virtual-service';
