export * from './binding';
export * from './delivery';
export * from './enforcement';
export * from './flavor';
export * from './host-firewall';
