export * from './quote';
export * from './secret';
export * from './source';
