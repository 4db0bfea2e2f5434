export * from './endpoint';
export * from './platform';
export * from './port';
export * from './peer';
export * from './workload';
export * from './segment';
export * from './flow';
export * from './aws/enforcement';
import './aws/security-group-renderer';
