export * from './generate';
export * from './layout';
